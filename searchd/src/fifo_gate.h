// FifoGate: at most N holders at once, the others let in in the order they came.
//
// A search is CPU-bound: on 2 cores, 16 searches computed at once take 8 times as long
// each, and the slowest (a filtered facet counted twice) longer still. Let in as many
// as there are cores, in turn, a search waits for the ones ahead of it and then runs at
// full speed: the same throughput, a much shorter tail. Downloads and pages are not
// gated: a slow client holds a worker thread, never a search's turn.
#pragma once

#include <condition_variable>
#include <cstdint>
#include <mutex>

namespace correlare::searchd {

class FifoGate {
 public:
  explicit FifoGate(int slots) : free_(slots < 1 ? 1 : slots) {}
  FifoGate(const FifoGate&) = delete;
  FifoGate& operator=(const FifoGate&) = delete;

  // Held while in; leaving (destruction) lets the next one in.
  class Pass {
   public:
    Pass() = default;
    Pass(Pass&& other) noexcept : gate_(other.gate_) { other.gate_ = nullptr; }
    Pass& operator=(Pass&&) = delete;
    ~Pass() {
      if (gate_ != nullptr) gate_->Leave();
    }

   private:
    friend class FifoGate;
    explicit Pass(FifoGate* gate) : gate_(gate) {}
    FifoGate* gate_ = nullptr;
  };

  // Waits for this caller's turn and a free slot.
  Pass Enter();
  // Callers waiting for their turn (for tests and metrics).
  uint64_t waiting() const;

 private:
  void Leave();

  mutable std::mutex mutex_;
  std::condition_variable turn_;
  int free_;
  uint64_t next_ticket_ = 0;  // the ticket the next caller takes
  uint64_t admitted_ = 0;     // tickets let in so far: the next one in holds this number
};

}  // namespace correlare::searchd
