package io.ironlb.multijvm;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;

/**
 * The backend behind a LoadBalancer address in the namespace lab: an HTTP server on every address
 * of its namespace that answers each request with its node's name, so a client can tell which
 * node's kernel took the connection. Run as {@code java -cp test-classes
 * io.ironlb.multijvm.EchoServer PORT NAME}.
 */
public final class EchoServer {
  private EchoServer() {}

  public static void main(String[] args) throws IOException {
    int port = Integer.parseInt(args[0]);
    byte[] body = (args[1] + "\n").getBytes(StandardCharsets.UTF_8);
    HttpServer server = HttpServer.create(new InetSocketAddress(port), 64);
    server.createContext(
        "/",
        exchange -> {
          exchange.sendResponseHeaders(200, body.length);
          try (OutputStream out = exchange.getResponseBody()) {
            out.write(body);
          }
        });
    server.start();
    System.out.println("listening on " + port);
  }
}
