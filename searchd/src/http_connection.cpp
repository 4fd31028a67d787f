#include "http_connection.h"

#include <Poco/Net/HTTPServerRequestImpl.h>
#include <Poco/Net/HTTPServerResponseImpl.h>
#include <Poco/Net/HTTPServerSession.h>
#include <Poco/Net/NetException.h>
#include <Poco/Timestamp.h>

#include <chrono>

namespace correlare::searchd {

using Poco::Net::HTTPServerRequestImpl;
using Poco::Net::HTTPServerResponseImpl;
using Poco::Net::HTTPServerSession;

std::shared_ptr<ConnectionTracker::Entry> ConnectionTracker::Add(
    const Poco::Net::StreamSocket& socket) {
  std::lock_guard lock(mutex_);
  if (stopping_) return nullptr;
  auto entry = std::make_shared<Entry>(socket);
  entries_.insert(entry);
  return entry;
}

void ConnectionTracker::Remove(const std::shared_ptr<Entry>& entry) {
  std::lock_guard lock(mutex_);
  entries_.erase(entry);
}

void ConnectionTracker::StopAll() {
  std::set<std::shared_ptr<Entry>> entries;
  {
    std::lock_guard lock(mutex_);
    stopping_ = true;
    entries = entries_;
  }
  for (const auto& entry : entries) {
    std::lock_guard busy(entry->busy);
    entry->stopped = true;
    try {
      entry->socket.shutdown();
    } catch (...) {
      // Already closed by the client: nothing to end.
    }
  }
}

HttpConnection::HttpConnection(const Poco::Net::StreamSocket& socket,
                               Poco::Net::HTTPServerParams::Ptr params,
                               RequestDispatcher& dispatcher, ConnectionTracker& tracker)
    : TCPServerConnection(socket),
      params_(std::move(params)),
      dispatcher_(dispatcher),
      tracker_(tracker) {}

namespace {

// Closes our side, then reads what the client is still sending for a moment. Closing a
// socket with unread bytes (the rest of a refused body or of a 20 KiB request line)
// makes the kernel reset the connection, and the client may lose the error response.
void LingeringClose(Poco::Net::StreamSocket& socket) {
  constexpr size_t kMaxDrained = 4 << 20;
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(2);
  try {
    socket.shutdownSend();
    socket.setReceiveTimeout(Poco::Timespan(0, 500 * 1000));
    char buffer[16 * 1024];
    size_t drained = 0;
    while (drained < kMaxDrained && std::chrono::steady_clock::now() < deadline) {
      int got = socket.receiveBytes(buffer, sizeof(buffer));
      if (got <= 0) break;
      drained += static_cast<size_t>(got);
    }
  } catch (...) {
    // Reset or timeout: nothing more to wait for.
  }
}

}  // namespace

void HttpConnection::run() {
  auto entry = tracker_.Add(socket());
  if (!entry) return;
  try {
    HTTPServerSession session(socket(), params_);  // closes the socket when destroyed
    bool linger = false;                           // we answered and then chose to close
    while (session.hasMoreRequests()) {
      std::lock_guard busy(entry->busy);
      if (entry->stopped) break;
      bool more = ServeOne(session);
      linger = !more || !session.getKeepAlive();
      if (!more) break;
    }
    if (linger) LingeringClose(socket());
  } catch (...) {
    // A network failure (reset, timeout): the connection is over, the daemon is not.
  }
  tracker_.Remove(entry);
}

bool HttpConnection::ServeOne(HTTPServerSession& session) {
  try {
    HTTPServerResponseImpl response(session);
    HTTPServerRequestImpl request(response, session, params_);
    response.setDate(Poco::Timestamp());
    response.setVersion(request.getVersion());
    response.setKeepAlive(params_->getKeepAlive() && request.getKeepAlive() &&
                          session.canKeepAlive());
    bool whole = dispatcher_.Handle(request, response);
    session.setKeepAlive(whole && params_->getKeepAlive() && response.getKeepAlive() &&
                         session.canKeepAlive());
    return whole;
  } catch (const Poco::Net::NoMessageException&) {
    return false;  // the client closed the connection between requests
  } catch (const Poco::Net::MessageException& e) {
    // The request could not be parsed. Its response object pointed at the request that
    // failed to build, so the answer needs a fresh one.
    HTTPServerResponseImpl response(session);
    dispatcher_.HandleMalformed(response, e.message());
    session.setKeepAlive(false);
    return false;
  }
}

}  // namespace correlare::searchd
