#include "fifo_gate.h"

namespace correlare::searchd {

FifoGate::Pass FifoGate::Enter() {
  std::unique_lock lock(mutex_);
  uint64_t ticket = next_ticket_++;
  turn_.wait(lock, [&] { return ticket == admitted_ && free_ > 0; });
  ++admitted_;
  --free_;
  // The next ticket may find a slot free too.
  if (free_ > 0 && admitted_ < next_ticket_) turn_.notify_all();
  return Pass(this);
}

void FifoGate::Leave() {
  {
    std::lock_guard lock(mutex_);
    ++free_;
  }
  turn_.notify_all();
}

uint64_t FifoGate::waiting() const {
  std::lock_guard lock(mutex_);
  return next_ticket_ - admitted_;
}

}  // namespace correlare::searchd
