# The example's app: GET / says which version runs, GET /up is its health check (500 when the
# release holds a file named BROKEN). APP_PORT comes from supervisord's environment.
import http.server, os

HERE = os.path.dirname(os.path.abspath(__file__))
VERSION = open(os.path.join(HERE, "VERSION")).read().strip()
BROKEN = os.path.exists(os.path.join(HERE, "BROKEN"))


class Handler(http.server.BaseHTTPRequestHandler):
    def do_GET(self):
        status, text = 200, "version " + VERSION
        if self.path == "/up":
            status, text = (500, "cannot reach the database") if BROKEN else (200, "ok")
        body = (text + "\n").encode()
        self.send_response(status)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args):
        pass


http.server.HTTPServer(("127.0.0.1", int(os.environ["APP_PORT"])), Handler).serve_forever()
