// HttpServer: the listening socket, a waiting room and a bounded pool of threads.
//
// One thread (the poller) accepts connections and keeps them in the waiting room until
// a whole request head has arrived; only then does a connection go to the queue of
// ready ones, which `max_threads` threads serve. Between the requests of a keep-alive
// connection it waits in the room again. So a slow client (a request dripped a byte at a
// time, an idle keep-alive connection) costs a file descriptor, never a thread: others
// are served while hundreds of such clients wait. A head must arrive whole within
// `request_timeout_s` of its first byte (of the connection, for the first request);
// an idle keep-alive connection is closed after `keep_alive_s`; when the room is full,
// the connection that has waited longest is closed to make space.
#pragma once

#include <Poco/Net/HTTPServerParams.h>
#include <Poco/Net/ServerSocket.h>

#include <atomic>
#include <condition_variable>
#include <cstdint>
#include <deque>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "common/status.h"
#include "http_connection.h"
#include "request_dispatcher.h"

namespace correlare::searchd {

struct ServerOptions {
  std::string host = "127.0.0.1";
  uint16_t port = 8080;        // 0: any free port
  int max_threads = 16;        // requests answered at once
  int max_queued = 64;         // requests waiting for a thread; more get a 503
  int request_timeout_s = 10;  // for a whole request head, and for each read and write
  int keep_alive_s = 5;        // how long an idle connection is kept open
  int max_waiting = 1024;      // connections in the waiting room
};

class HttpServer {
 public:
  // `dispatcher` must outlive the server.
  HttpServer(RequestDispatcher& dispatcher, ServerOptions options);
  ~HttpServer();
  HttpServer(const HttpServer&) = delete;
  HttpServer& operator=(const HttpServer&) = delete;

  // Binds and starts accepting. Fails when the address cannot be bound.
  Status Start();
  // The port bound by Start() (the chosen one when options.port was 0).
  uint16_t port() const;
  // Stops accepting, lets each request being answered finish, closes the other
  // connections and waits for every thread. Idempotent.
  void Stop();

 private:
  using Connection = std::unique_ptr<HttpConnection>;

  void PollLoop();
  void WorkLoop();
  void Accept();
  // Whether a whole head is there now; closes `connection` (and returns false) when
  // the client has gone.
  enum class Peek { kWhole, kPartial, kNothing, kGone };
  Peek PeekHead(HttpConnection& connection);
  // To the ready queue, or a 503 when it is full.
  void MakeReady(Connection connection);
  void Wake();

  RequestDispatcher& dispatcher_;
  ServerOptions options_;
  Poco::Net::HTTPServerParams::Ptr params_;
  Poco::Net::ServerSocket socket_;
  int wake_fds_[2] = {-1, -1};  // a pipe: workers wake the poller
  std::atomic<bool> stopping_{false};
  bool started_ = false;
  bool stopped_ = false;

  std::vector<Connection> waiting_;  // poller thread only

  std::mutex mutex_;
  std::condition_variable ready_cv_;
  std::deque<Connection> ready_;        // GUARDED_BY(mutex_)
  std::vector<Connection> returned_;    // GUARDED_BY(mutex_): kept alive, back to the room

  std::thread poller_;
  std::vector<std::thread> workers_;
};

}  // namespace correlare::searchd
