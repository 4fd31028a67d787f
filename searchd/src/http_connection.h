// HttpConnection: serves the requests of one TCP connection, keep-alive included. It is
// Poco's HTTPServerConnection loop with two differences that the SPEC needs: a request
// Poco cannot parse (a target over 16 KiB, too many or too long header fields, a
// broken request line) is answered with the API's JSON error instead of an empty 400,
// and the daemon can stop gracefully (ConnectionTracker).
#pragma once

#include <Poco/Net/HTTPServerParams.h>
#include <Poco/Net/StreamSocket.h>
#include <Poco/Net/TCPServerConnection.h>
#include <Poco/Net/TCPServerConnectionFactory.h>

#include <memory>
#include <mutex>
#include <set>

#include "request_dispatcher.h"

namespace correlare::searchd {

// The open connections, so that Stop() can end them: each one finishes the request it
// is answering, and one waiting for its next request is closed at once.
//
// Thread safety: every method may be called from many threads at once.
class ConnectionTracker {
 public:
  struct Entry {
    explicit Entry(const Poco::Net::StreamSocket& s) : socket(s) {}
    std::mutex busy;  // held while a request is being answered
    Poco::Net::StreamSocket socket;
    bool stopped = false;  // guarded by `busy`
  };

  // nullptr once StopAll() has begun: the connection should close at once.
  std::shared_ptr<Entry> Add(const Poco::Net::StreamSocket& socket);
  void Remove(const std::shared_ptr<Entry>& entry);
  // Marks every connection stopped and shuts its socket down, after its current request.
  void StopAll();

 private:
  std::mutex mutex_;
  bool stopping_ = false;
  std::set<std::shared_ptr<Entry>> entries_;
};

class HttpConnection : public Poco::Net::TCPServerConnection {
 public:
  HttpConnection(const Poco::Net::StreamSocket& socket, Poco::Net::HTTPServerParams::Ptr params,
                 RequestDispatcher& dispatcher, ConnectionTracker& tracker);
  void run() override;

 private:
  // Answers one request; false when the connection must end.
  bool ServeOne(class Poco::Net::HTTPServerSession& session);

  Poco::Net::HTTPServerParams::Ptr params_;
  RequestDispatcher& dispatcher_;
  ConnectionTracker& tracker_;
};

class HttpConnectionFactory : public Poco::Net::TCPServerConnectionFactory {
 public:
  HttpConnectionFactory(Poco::Net::HTTPServerParams::Ptr params, RequestDispatcher& dispatcher,
                        ConnectionTracker& tracker)
      : params_(std::move(params)), dispatcher_(dispatcher), tracker_(tracker) {}
  Poco::Net::TCPServerConnection* createConnection(const Poco::Net::StreamSocket& socket) override {
    return new HttpConnection(socket, params_, dispatcher_, tracker_);
  }

 private:
  Poco::Net::HTTPServerParams::Ptr params_;
  RequestDispatcher& dispatcher_;
  ConnectionTracker& tracker_;
};

}  // namespace correlare::searchd
