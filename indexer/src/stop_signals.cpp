#include "stop_signals.h"

#include <signal.h>

namespace correlare::indexer {
namespace {

std::atomic<bool> stop_requested{false};

extern "C" void RequestStop(int) { stop_requested.store(true); }

}  // namespace

std::atomic<bool>& StopRequested() { return stop_requested; }

void HandleStopSignals() {
  struct sigaction action = {};
  action.sa_handler = RequestStop;
  action.sa_flags = SA_RESETHAND;  // the second signal takes its default action
  sigemptyset(&action.sa_mask);
  sigaction(SIGINT, &action, nullptr);
  sigaction(SIGTERM, &action, nullptr);
}

}  // namespace correlare::indexer
