#include "http_server.h"

#include <Poco/Exception.h>
#include <Poco/Net/SocketAddress.h>

namespace correlare::searchd {

HttpServer::HttpServer(RequestDispatcher& dispatcher, ServerOptions options)
    : dispatcher_(dispatcher),
      options_(std::move(options)),
      pool_("searchd", 2, std::max(2, options_.max_threads), 60) {}

HttpServer::~HttpServer() { Stop(); }

Status HttpServer::Start() {
  try {
    // SO_REUSEADDR (restart while old connections linger) but not SO_REUSEPORT: a second
    // daemon on the same port must fail, not share it.
    socket_.bind(Poco::Net::SocketAddress(options_.host, options_.port), true, false);
    socket_.listen(std::max(16, options_.max_queued));
  } catch (const Poco::Exception& e) {
    return Status(StatusCode::kIoError, "cannot listen on " + options_.host + ":" +
                                            std::to_string(options_.port) + ": " + e.displayText());
  }
  Poco::Net::HTTPServerParams::Ptr params = new Poco::Net::HTTPServerParams;
  params->setMaxThreads(options_.max_threads);
  params->setMaxQueued(options_.max_queued);
  params->setThreadIdleTime(Poco::Timespan(60, 0));
  params->setTimeout(Poco::Timespan(options_.request_timeout_s, 0));
  params->setKeepAlive(true);
  params->setKeepAliveTimeout(Poco::Timespan(options_.keep_alive_s, 0));
  params->setMaxKeepAliveRequests(100);
  server_ = std::make_unique<Poco::Net::TCPServer>(
      new HttpConnectionFactory(params, dispatcher_, tracker_), pool_, socket_, params);
  server_->start();
  return Status::Ok();
}

uint16_t HttpServer::port() const { return socket_.address().port(); }

void HttpServer::Stop() {
  if (stopped_ || !server_) return;
  stopped_ = true;
  server_->stop();     // no new connections; queued ones are dropped
  tracker_.StopAll();  // open ones end after their current request
  pool_.joinAll();
  server_.reset();
}

}  // namespace correlare::searchd
