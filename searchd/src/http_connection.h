// HttpConnection: one client's TCP connection and its HTTP session, served one request
// head at a time. A connection is handed to a thread only once a whole request head has
// arrived (HttpServer's waiting room sees to that), so a client that sends its request
// slowly, or keeps an idle connection open, holds no thread.
//
// Serving is Poco's HTTPServerConnection loop with two differences that the SPEC needs:
// a request Poco cannot parse (a target over 16 KiB, too many or too long header fields,
// a broken request line) is answered with the API's JSON error instead of an empty 400,
// and a keep-alive connection goes back to the waiting room between requests instead of
// holding its thread.
#pragma once

#include <Poco/Net/HTTPServerParams.h>
#include <Poco/Net/HTTPServerSession.h>
#include <Poco/Net/StreamSocket.h>

#include <atomic>
#include <chrono>
#include <string_view>

#include "request_dispatcher.h"

namespace correlare::searchd {

// Whether `bytes` (the start of what a client sent) hold a whole request head: the
// empty line that ends it ("\r\n\r\n", or "\n\n" from a sloppy client).
bool HasWholeRequestHead(std::string_view bytes);

class HttpConnection {
 public:
  using Clock = std::chrono::steady_clock;

  HttpConnection(const Poco::Net::StreamSocket& socket, Poco::Net::HTTPServerParams::Ptr params,
                 RequestDispatcher& dispatcher);
  // Closes the socket.
  ~HttpConnection();
  HttpConnection(const HttpConnection&) = delete;
  HttpConnection& operator=(const HttpConnection&) = delete;

  enum class Next {
    kWait,   // kept alive, nothing more sent yet: back to the waiting room
    kClose,  // done: destroy the connection
  };
  // Answers the request whose head has arrived, and the ones the client pipelined
  // behind it. Returns once nothing more is buffered, or when the connection must end
  // (`stopping` ends it after the current request). Never throws.
  // REQUIRES: a whole request head is readable on the socket.
  Next Serve(const std::atomic<bool>& stopping);

  int fd() const { return fd_; }
  Poco::Net::StreamSocket& socket() { return socket_; }

  // The waiting room's bookkeeping (HttpServer's poller thread only).
  Clock::time_point deadline;   // closed if no whole head has arrived by then
  Clock::time_point next_peek;  // not looked at before then (a partial head is there)
  Clock::time_point since;      // when it entered the waiting room (oldest goes first)
  bool partial = false;         // some bytes of a head have arrived

 private:
  // Exposes how much the session has read ahead (a pipelined request), and bounds the
  // time a request's body may take as a whole (not only each read): a body trickled a
  // byte at a time would otherwise hold a thread for as long as the client likes.
  class Session : public Poco::Net::HTTPServerSession {
   public:
    using HTTPServerSession::HTTPServerSession;
    int Buffered() const { return buffered(); }
    // Reads of the body fail with a timeout after `deadline`.
    void SetBodyDeadline(Clock::time_point when) { body_deadline_ = when; }

   protected:
    int read(char* buffer, std::streamsize length) override;

   private:
    Clock::time_point body_deadline_ = Clock::time_point::max();
  };

  // Answers one request; false when the connection must end.
  bool ServeOne();
  void LingeringClose();

  Poco::Net::StreamSocket socket_;
  int fd_;
  Poco::Net::HTTPServerParams::Ptr params_;
  RequestDispatcher& dispatcher_;
  Session session_;
};

}  // namespace correlare::searchd
