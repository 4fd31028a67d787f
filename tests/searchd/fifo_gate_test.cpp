// FifoGate lets in at most N at once, and the others in the order they came.
#include "searchd/src/fifo_gate.h"

#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <mutex>
#include <memory>
#include <thread>
#include <vector>

namespace correlare::searchd {
namespace {

void WaitUntilWaiting(const FifoGate& gate, uint64_t n) {
  auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(30);
  while (gate.waiting() < n && std::chrono::steady_clock::now() < deadline) std::this_thread::yield();
  ASSERT_EQ(gate.waiting(), n);
}

TEST(FifoGate, LetsInInTheOrderCallersCame) {
  FifoGate gate(1);
  auto held = std::make_unique<FifoGate::Pass>(gate.Enter());
  std::mutex mutex;
  std::vector<int> order;
  std::vector<std::thread> threads;
  for (int k = 0; k < 6; ++k) {
    threads.emplace_back([&, k] {
      FifoGate::Pass pass = gate.Enter();
      std::lock_guard lock(mutex);
      order.push_back(k);
    });
    WaitUntilWaiting(gate, static_cast<uint64_t>(k + 1));  // k is in the queue before k + 1 comes
  }
  held.reset();
  for (auto& t : threads) t.join();
  EXPECT_EQ(order, (std::vector<int>{0, 1, 2, 3, 4, 5}));
  EXPECT_EQ(gate.waiting(), 0u);
}

TEST(FifoGate, NeverMoreInsideThanItsSlots) {
  FifoGate gate(2);
  std::atomic<int> inside{0};
  std::atomic<int> most{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < 8; ++t) {
    threads.emplace_back([&] {
      for (int i = 0; i < 200; ++i) {
        FifoGate::Pass pass = gate.Enter();
        int now = ++inside;
        int seen = most.load();
        while (now > seen && !most.compare_exchange_weak(seen, now)) {
        }
        std::this_thread::yield();
        --inside;
      }
    });
  }
  for (auto& t : threads) t.join();
  EXPECT_LE(most.load(), 2);
  EXPECT_GE(most.load(), 1);
  EXPECT_EQ(gate.waiting(), 0u);
}

TEST(FifoGate, TwoSlotsLetTwoInWhileAThirdWaits) {
  FifoGate gate(2);
  FifoGate::Pass first = gate.Enter();
  FifoGate::Pass second = gate.Enter();  // does not block: a second slot is free
  std::atomic<bool> third_in{false};
  std::thread third([&] {
    FifoGate::Pass pass = gate.Enter();
    third_in = true;
  });
  WaitUntilWaiting(gate, 1);
  EXPECT_FALSE(third_in.load());
  { FifoGate::Pass leaving = std::move(first); }  // first leaves: the third goes in
  third.join();
  EXPECT_TRUE(third_in.load());
}

}  // namespace
}  // namespace correlare::searchd
