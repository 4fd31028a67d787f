// HttpServer: the listening socket, a bounded pool of threads and a bounded queue of
// waiting connections (Poco's TCPServer), each connection served by an HttpConnection.
#pragma once

#include <Poco/Net/HTTPServerParams.h>
#include <Poco/Net/ServerSocket.h>
#include <Poco/Net/TCPServer.h>
#include <Poco/ThreadPool.h>

#include <cstdint>
#include <memory>
#include <string>

#include "common/status.h"
#include "http_connection.h"
#include "request_dispatcher.h"

namespace correlare::searchd {

struct ServerOptions {
  std::string host = "127.0.0.1";
  uint16_t port = 8080;        // 0: any free port
  int max_threads = 16;        // requests answered at once
  int max_queued = 64;         // connections waiting for a thread; more are refused
  int request_timeout_s = 10;  // for each read and write on a connection
  int keep_alive_s = 5;        // how long an idle connection is kept open
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
  // Stops accepting, lets each request being answered finish, closes idle connections
  // and waits for every thread. Idempotent.
  void Stop();

 private:
  RequestDispatcher& dispatcher_;
  ServerOptions options_;
  Poco::ThreadPool pool_;  // declared before server_: the server uses it until destroyed
  ConnectionTracker tracker_;
  Poco::Net::ServerSocket socket_;
  std::unique_ptr<Poco::Net::TCPServer> server_;
  bool stopped_ = false;
};

}  // namespace correlare::searchd
