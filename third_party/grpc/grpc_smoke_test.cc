// Smoke test for //third_party/grpc and cc_grpc_library: serves the
// generated Echo service on a loopback port and calls it once.
#include <grpcpp/grpcpp.h>

#include <cstdio>
#include <memory>
#include <string>

#include "third_party/grpc/smoke.grpc.pb.h"

namespace {

class EchoImpl final : public bytewax::smoke::Echo::Service {
  grpc::Status Say(grpc::ServerContext* /*ctx*/, const bytewax::smoke::Ping* req,
                   bytewax::smoke::Ping* resp) override {
    resp->set_text("echo: " + req->text());
    return grpc::Status::OK;
  }
};

}  // namespace

int main() {
  EchoImpl service;
  int port = 0;
  grpc::ServerBuilder builder;
  builder.AddListeningPort("127.0.0.1:0", grpc::InsecureServerCredentials(), &port);
  builder.RegisterService(&service);
  std::unique_ptr<grpc::Server> server = builder.BuildAndStart();
  if (!server || port == 0) return 1;

  auto channel =
      grpc::CreateChannel("127.0.0.1:" + std::to_string(port), grpc::InsecureChannelCredentials());
  auto stub = bytewax::smoke::Echo::NewStub(channel);
  bytewax::smoke::Ping req;
  req.set_text("hi");
  bytewax::smoke::Ping resp;
  grpc::ClientContext ctx;
  grpc::Status status = stub->Say(&ctx, req, &resp);
  std::printf("port %d: %s\n", port, resp.text().c_str());
  server->Shutdown();
  return status.ok() && resp.text() == "echo: hi" ? 0 : 1;
}
