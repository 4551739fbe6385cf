// Smoke test for //third_party/civetweb: serves one handler on a loopback
// port the kernel picks and fetches it with CivetWeb's own client.
#include <CivetServer.h>
#include <civetweb.h>

#include <cstdio>
#include <string>
#include <vector>

namespace {

class Hello : public CivetHandler {
 public:
  bool handleGet(CivetServer* /*server*/, mg_connection* conn) override {
    const std::string body = "hello civetweb";
    mg_send_http_ok(conn, "text/plain", static_cast<long long>(body.size()));
    mg_write(conn, body.data(), body.size());
    return true;
  }
};

}  // namespace

int main() {
  mg_init_library(0);
  int rc = 1;
  {
    CivetServer server(std::vector<std::string>{"listening_ports", "127.0.0.1:0"});
    Hello hello;
    server.addHandler("/hello", hello);
    const std::vector<int> ports = server.getListeningPorts();
    if (ports.size() == 1 && ports[0] > 0) {
      char error[256] = {0};
      mg_connection* conn = mg_download("127.0.0.1", ports[0], 0, error, sizeof(error),
                                        "GET /hello HTTP/1.0\r\nHost: localhost\r\n\r\n");
      if (conn != nullptr) {
        char buf[64] = {0};
        const int n = mg_read(conn, buf, sizeof(buf) - 1);
        const std::string got(buf, n > 0 ? static_cast<std::size_t>(n) : 0);
        std::printf("port %d: %s\n", ports[0], got.c_str());
        rc = got == "hello civetweb" ? 0 : 1;
        mg_close_connection(conn);
      } else {
        std::printf("download failed: %s\n", error);
      }
    }
  }
  mg_exit_library();
  return rc;
}
