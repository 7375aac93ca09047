/**
 * The app every test host runs under its own supervisord, on its own port (APP_PORT, from
 * supervisord's environment: the hosts share one network). `/` answers the release's NAME,
 * `/pid` its pid, `/up` is the health check: 500 on the port named in the release's BROKEN
 * file, and, with a FLAKY file, healthy only for the first request.
 */
export const APP_PY = `import http.server, os

HERE = os.path.dirname(os.path.abspath(__file__))
PORT = os.environ["APP_PORT"]
def read(name):
    try:
        with open(os.path.join(HERE, name)) as f:
            return f.read().strip()
    except FileNotFoundError:
        return ""
NAME = read("NAME")
BROKEN = read("BROKEN").split()
FLAKY = read("FLAKY") != ""
checks = 0


class Handler(http.server.BaseHTTPRequestHandler):
    def do_GET(self):
        global checks
        status, text = 200, "serving " + NAME
        if self.path == "/pid":
            text = str(os.getpid())
        elif self.path == "/up":
            checks += 1
            if PORT in BROKEN:
                status, text = 500, "broken on purpose on port " + PORT + "\\nTraceback: ..."
            elif FLAKY and checks > 1:
                status, text = 503, "fell over after the first check"
            else:
                text = "ready " + NAME
        body = (text + "\\n").encode()
        self.send_response(status)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args):
        pass


http.server.HTTPServer(("127.0.0.1", int(PORT)), Handler).serve_forever()
`;

export const PROGRAM_CONF = `[program:shop]
command=/usr/bin/python3 /srv/www/shop/current/app.py
directory=/srv/www/shop/current
startsecs=1
startretries=1
stopwaitsecs=5
`;
