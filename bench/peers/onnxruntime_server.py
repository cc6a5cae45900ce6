"""The peer of ./clmlp serve: ONNX Runtime behind the same REST call, in a minimal server.

    python onnxruntime_server.py MODEL.onnx PORT [THREADS]

POST /v1/models/NAME:predict with {"instances": [[...], ...]} answers {"predictions": [[...], ...]}:
the standard library's ThreadingHTTPServer, json and numpy around one InferenceSession (ONNX
Runtime's sessions may be run from many threads). What a Python user would put up in minutes;
the load client is cli's LoadTest.main.
"""
import json
import sys
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import numpy as np
import onnxruntime as ort

options = ort.SessionOptions()
if len(sys.argv) > 3:
    options.intra_op_num_threads = int(sys.argv[3])
session = ort.InferenceSession(sys.argv[1], options, providers=["CPUExecutionProvider"])
input_name, output_name = session.get_inputs()[0].name, session.get_outputs()[0].name


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"  # keep-alive, as the JDK server and client use
    disable_nagle_algorithm = True  # headers and body go out as two writes: without it each answer waits 40 ms for a delayed ACK

    def do_POST(self):
        body = self.rfile.read(int(self.headers["Content-Length"]))
        try:
            x = np.asarray(json.loads(body)["instances"], dtype=np.float32)
            out = session.run([output_name], {input_name: x})[0]
            status, answer = 200, {"predictions": out.tolist(), "classes": out.argmax(1).tolist()}
        except Exception as e:  # one line, as clmlp answers
            status, answer = 400, {"error": str(e).splitlines()[0]}
        data = json.dumps(answer).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def log_message(self, *args):
        pass


ThreadingHTTPServer(("127.0.0.1", int(sys.argv[2])), Handler).serve_forever()
