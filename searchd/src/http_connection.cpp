#include "http_connection.h"

#include <Poco/Net/HTTPServerRequestImpl.h>
#include <Poco/Net/HTTPServerResponseImpl.h>
#include <Poco/Net/NetException.h>
#include <Poco/Timestamp.h>

#include <algorithm>

namespace correlare::searchd {

using Poco::Net::HTTPServerRequestImpl;
using Poco::Net::HTTPServerResponseImpl;

bool HasWholeRequestHead(std::string_view bytes) {
  return bytes.find("\r\n\r\n") != std::string_view::npos ||
         bytes.find("\n\n") != std::string_view::npos;
}

HttpConnection::HttpConnection(const Poco::Net::StreamSocket& socket,
                               Poco::Net::HTTPServerParams::Ptr params,
                               RequestDispatcher& dispatcher)
    : socket_(socket),
      fd_(socket.impl()->sockfd()),
      params_(std::move(params)),
      dispatcher_(dispatcher),
      session_(socket_, params_) {}

HttpConnection::~HttpConnection() = default;  // the session closes the socket

HttpConnection::Next HttpConnection::Serve(const std::atomic<bool>& stopping) {
  try {
    // hasMoreRequests() counts the requests of a keep-alive connection; its wait is
    // immediate, since the head is there (or buffered, when pipelined).
    while (session_.hasMoreRequests()) {
      bool more = ServeOne();
      if (!more || !session_.getKeepAlive()) {
        LingeringClose();
        return Next::kClose;
      }
      if (stopping.load()) return Next::kClose;
      if (session_.Buffered() == 0) return Next::kWait;
    }
  } catch (...) {
    // A network failure (reset, timeout): the connection is over, the daemon is not.
  }
  return Next::kClose;
}

// Closes our side, then reads what the client is still sending for a moment. Closing a
// socket with unread bytes (the rest of a refused body or of a 20 KiB request line)
// makes the kernel reset the connection, and the client may lose the error response.
void HttpConnection::LingeringClose() {
  constexpr size_t kMaxDrained = 4 << 20;
  const auto give_up = Clock::now() + std::chrono::seconds(2);
  try {
    socket_.shutdownSend();
    socket_.setReceiveTimeout(Poco::Timespan(0, 500 * 1000));
    char buffer[16 * 1024];
    size_t drained = 0;
    while (drained < kMaxDrained && Clock::now() < give_up) {
      int got = socket_.receiveBytes(buffer, sizeof(buffer));
      if (got <= 0) break;
      drained += static_cast<size_t>(got);
    }
  } catch (...) {
    // Reset or timeout: nothing more to wait for.
  }
}

int HttpConnection::Session::read(char* buffer, std::streamsize length) {
  if (buffered() == 0 && body_deadline_ != Clock::time_point::max()) {
    auto left = std::chrono::duration_cast<std::chrono::microseconds>(body_deadline_ - Clock::now());
    if (left.count() <= 0) throw Poco::TimeoutException("the request body is too slow");
    socket().setReceiveTimeout(std::min(getTimeout(), Poco::Timespan(left.count())));
  }
  return HTTPServerSession::read(buffer, length);
}

bool HttpConnection::ServeOne() {
  session_.SetBodyDeadline(Clock::now() + std::chrono::microseconds(
                                              params_->getTimeout().totalMicroseconds()));
  try {
    HTTPServerResponseImpl response(session_);
    HTTPServerRequestImpl request(response, session_, params_);
    response.setDate(Poco::Timestamp());
    response.setVersion(request.getVersion());
    response.setKeepAlive(params_->getKeepAlive() && request.getKeepAlive() &&
                          session_.canKeepAlive());
    bool whole = dispatcher_.Handle(request, response);
    socket_.setReceiveTimeout(params_->getTimeout());
    session_.setKeepAlive(whole && params_->getKeepAlive() && response.getKeepAlive() &&
                          session_.canKeepAlive());
    return whole;
  } catch (const Poco::Net::NoMessageException&) {
    return false;  // the client closed the connection between requests
  } catch (const Poco::Net::MessageException& e) {
    // The request could not be parsed. Its response object pointed at the request that
    // failed to build, so the answer needs a fresh one.
    HTTPServerResponseImpl response(session_);
    dispatcher_.HandleMalformed(response, e.message());
    session_.setKeepAlive(false);
    return false;
  }
}

}  // namespace correlare::searchd
