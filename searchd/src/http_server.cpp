#include "http_server.h"

#include <Poco/Exception.h>
#include <Poco/Net/SocketAddress.h>
#include <Poco/Net/StreamSocketImpl.h>
#include <fcntl.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>

namespace correlare::searchd {
namespace {

using Clock = HttpConnection::Clock;

// A partial head is looked at again this often (poll() would report the same unread
// bytes at once, again and again).
constexpr auto kPartialHeadRecheck = std::chrono::milliseconds(50);
// The most of a head looked at. A head longer than this is handed over as it is, for
// the parser to refuse (a 414 or a 400).
constexpr size_t kPeekBytes = 64 * 1024;

// What a client gets when every thread is busy and the queue is full. Written by the
// poller, which must not block: a client that does not read it loses it.
void RefuseBusy(HttpConnection& connection) {
  static const std::string kBody =
      R"({"error": {"code": "unavailable", "message": "the server is busy, try again"}})";
  static const std::string kResponse =
      "HTTP/1.1 503 Service Unavailable\r\nContent-Type: application/json; charset=utf-8\r\n"
      "Content-Length: " + std::to_string(kBody.size()) +
      "\r\nRetry-After: 1\r\nConnection: close\r\n\r\n" + kBody;
  // The head is read first, so that closing with it unread does not reset the
  // connection before the client has read the answer.
  char discard[4096];
  while (recv(connection.fd(), discard, sizeof(discard), MSG_DONTWAIT) > 0) {
  }
  (void)!send(connection.fd(), kResponse.data(), kResponse.size(), MSG_DONTWAIT | MSG_NOSIGNAL);
  shutdown(connection.fd(), SHUT_WR);
}

}  // namespace

HttpServer::HttpServer(RequestDispatcher& dispatcher, ServerOptions options)
    : dispatcher_(dispatcher), options_(std::move(options)) {}

HttpServer::~HttpServer() { Stop(); }

Status HttpServer::Start() {
  try {
    // SO_REUSEADDR (restart while old connections linger) but not SO_REUSEPORT: a second
    // daemon on the same port must fail, not share it.
    socket_.bind(Poco::Net::SocketAddress(options_.host, options_.port), true, false);
    socket_.listen(std::max(128, options_.max_queued));
    socket_.setBlocking(false);
  } catch (const Poco::Exception& e) {
    return Status(StatusCode::kIoError, "cannot listen on " + options_.host + ":" +
                                            std::to_string(options_.port) + ": " + e.displayText());
  }
  if (pipe2(wake_fds_, O_CLOEXEC | O_NONBLOCK) != 0) {
    return Status(StatusCode::kIoError, "cannot create a pipe");
  }
  params_ = new Poco::Net::HTTPServerParams;
  params_->setTimeout(Poco::Timespan(options_.request_timeout_s, 0));
  params_->setKeepAlive(true);
  params_->setKeepAliveTimeout(Poco::Timespan(options_.keep_alive_s, 0));
  params_->setMaxKeepAliveRequests(100);
  started_ = true;
  // The workers first: the poller reads workers_.size().
  for (int i = 0; i < std::max(1, options_.max_threads); ++i) {
    workers_.emplace_back([this] { WorkLoop(); });
  }
  poller_ = std::thread([this] { PollLoop(); });
  return Status::Ok();
}

uint16_t HttpServer::port() const { return socket_.address().port(); }

void HttpServer::Stop() {
  if (stopped_ || !started_) return;
  stopped_ = true;
  stopping_.store(true);
  Wake();
  ready_cv_.notify_all();
  poller_.join();  // closes the waiting connections and the listening socket
  for (auto& worker : workers_) worker.join();  // each finishes the request it answers
  std::lock_guard lock(mutex_);
  ready_.clear();
  returned_.clear();
  close(wake_fds_[0]);
  close(wake_fds_[1]);
}

void HttpServer::Wake() {
  char byte = 1;
  (void)!write(wake_fds_[1], &byte, 1);  // a full pipe already wakes the poller
}

HttpServer::Peek HttpServer::PeekHead(HttpConnection& connection) {
  static thread_local std::vector<char> buffer(kPeekBytes);
  ssize_t got = recv(connection.fd(), buffer.data(), buffer.size(), MSG_PEEK | MSG_DONTWAIT);
  if (got == 0) return Peek::kGone;
  if (got < 0) {
    return errno == EAGAIN || errno == EWOULDBLOCK || errno == EINTR ? Peek::kNothing
                                                                     : Peek::kGone;
  }
  if (static_cast<size_t>(got) == buffer.size() ||
      HasWholeRequestHead(std::string_view(buffer.data(), static_cast<size_t>(got)))) {
    return Peek::kWhole;
  }
  return Peek::kPartial;
}

void HttpServer::MakeReady(Connection connection) {
  {
    std::lock_guard lock(mutex_);
    if (ready_.size() < static_cast<size_t>(std::max(0, options_.max_queued)) + workers_.size()) {
      ready_.push_back(std::move(connection));
    }
  }
  if (connection) {
    RefuseBusy(*connection);
    return;
  }
  ready_cv_.notify_one();
}

void HttpServer::Accept() {
  const int listen_fd = socket_.impl()->sockfd();
  const auto timeout = Poco::Timespan(options_.request_timeout_s, 0);
  while (!stopping_.load()) {
    int fd = accept4(listen_fd, nullptr, nullptr, SOCK_CLOEXEC);
    if (fd < 0) {
      if (errno == EINTR || errno == ECONNABORTED) continue;
      if ((errno == EMFILE || errno == ENFILE) && !waiting_.empty()) {
        // Out of descriptors: the connection that has waited longest makes room.
        auto oldest = std::min_element(waiting_.begin(), waiting_.end(), [](auto& a, auto& b) {
          return a->since < b->since;
        });
        waiting_.erase(oldest);
        continue;
      }
      return;  // EAGAIN: no more for now
    }
    try {
      Poco::Net::StreamSocket socket(new Poco::Net::StreamSocketImpl(fd));
      socket.setReceiveTimeout(timeout);
      socket.setSendTimeout(timeout);
      socket.setNoDelay(true);
      auto connection = std::make_unique<HttpConnection>(socket, params_, dispatcher_);
      auto now = Clock::now();
      connection->since = now;
      connection->next_peek = now;
      connection->deadline = now + std::chrono::seconds(options_.request_timeout_s);
      connection->partial = true;  // the head's time runs from the connection's start
      if (waiting_.size() >= static_cast<size_t>(std::max(1, options_.max_waiting))) {
        auto oldest = std::min_element(waiting_.begin(), waiting_.end(), [](auto& a, auto& b) {
          return a->since < b->since;
        });
        waiting_.erase(oldest);
      }
      waiting_.push_back(std::move(connection));
    } catch (...) {
      // The client went away at once (the socket owns fd and has closed it).
    }
  }
}

void HttpServer::PollLoop() {
  const int listen_fd = socket_.impl()->sockfd();
  std::vector<pollfd> fds;
  std::vector<size_t> polled;  // fds[i + 2] is waiting_[polled[i]]
  while (!stopping_.load()) {
    auto now = Clock::now();
    {
      std::lock_guard lock(mutex_);
      for (auto& connection : returned_) {
        connection->since = now;
        connection->next_peek = now;
        connection->deadline = now + std::chrono::seconds(options_.keep_alive_s);
        connection->partial = false;
        waiting_.push_back(std::move(connection));
      }
      returned_.clear();
    }
    // Heads that did not arrive in time, idle connections past their keep-alive.
    std::erase_if(waiting_, [&](const Connection& c) { return c->deadline <= now; });

    fds.clear();
    polled.clear();
    fds.push_back({listen_fd, POLLIN, 0});
    fds.push_back({wake_fds_[0], POLLIN, 0});
    auto wake_at = now + std::chrono::seconds(1);
    for (size_t i = 0; i < waiting_.size(); ++i) {
      HttpConnection& connection = *waiting_[i];
      wake_at = std::min(wake_at, connection.deadline);
      if (connection.next_peek <= now) {
        fds.push_back({connection.fd(), POLLIN, 0});
        polled.push_back(i);
      } else {
        wake_at = std::min(wake_at, connection.next_peek);
      }
    }
    auto wait = std::chrono::ceil<std::chrono::milliseconds>(wake_at - now).count();
    int ready = poll(fds.data(), fds.size(), static_cast<int>(std::max<int64_t>(0, wait)));
    if (ready < 0) continue;  // EINTR
    if (fds[1].revents != 0) {
      char drain[256];
      while (read(wake_fds_[0], drain, sizeof(drain)) > 0) {
      }
    }
    now = Clock::now();
    for (size_t k = 2; k < fds.size(); ++k) {
      if (fds[k].revents == 0) continue;
      Connection& connection = waiting_[polled[k - 2]];
      switch (PeekHead(*connection)) {
        case Peek::kWhole:
          MakeReady(std::move(connection));
          break;
        case Peek::kGone:
          connection.reset();
          break;
        case Peek::kPartial:
          if (!connection->partial) {  // a kept-alive connection's next head has begun
            connection->partial = true;
            connection->deadline = now + std::chrono::seconds(options_.request_timeout_s);
          }
          connection->next_peek = now + kPartialHeadRecheck;
          break;
        case Peek::kNothing:
          break;
      }
    }
    std::erase_if(waiting_, [](const Connection& c) { return c == nullptr; });
    if (fds[0].revents != 0) Accept();
  }
  waiting_.clear();
  socket_.close();
}

void HttpServer::WorkLoop() {
  while (true) {
    Connection connection;
    {
      std::unique_lock lock(mutex_);
      ready_cv_.wait(lock, [&] { return stopping_.load() || !ready_.empty(); });
      if (stopping_.load()) return;  // Stop() drops what is still queued
      connection = std::move(ready_.front());
      ready_.pop_front();
    }
    if (connection->Serve(stopping_) == HttpConnection::Next::kWait && !stopping_.load()) {
      {
        std::lock_guard lock(mutex_);
        returned_.push_back(std::move(connection));
      }
      Wake();
    }
  }
}

}  // namespace correlare::searchd
