"""gunicorn settings for serving the app to an office (README, "Serving with several workers").

    SEARCH_INDEX_DIR=$PWD/index .venv/bin/gunicorn -c web/gunicorn.conf.py "web:create_app()"

Options given on the command line win over these (``--bind``, ``--workers`` in tests and bench).
"""

bind = "127.0.0.1:8000"
# Searches are CPU-bound Python (Whoosh, jieba): one worker per core plus one or two keeps the
# cores busy while a worker reads a file or waits on a client.
workers = 4

# gevent, not the default sync worker: a sync worker (and a gthread thread, once a client has
# sent a first byte) blocks reading a request's headers with no deadline, so a client that
# stalls mid-headers holds it until `timeout` kills the worker: 4 such clients left 4 sync
# workers answering nothing for 15 s, and 50 did the same to 4 gthread workers of 4 threads.
# A gevent worker reads each connection in its own greenlet, so stalled clients cost a greenlet
# and a file descriptor each while ordinary requests go on (README, "Serving with several
# workers"). SecureGeventWorker is gunicorn's gevent worker whose own error pages (414, 400,
# 431) carry the app's security headers (web/serving.py).
worker_class = "web.serving.SecureGeventWorker"
# Connections each worker holds open at once, stalled ones included; past this it stops
# accepting until one closes (the other workers still accept). Each one costs a file descriptor.
worker_connections = 1000
# The deadline for reading a whole request head, request line and headers, the first request
# of a connection included (gunicorn's gevent worker reads every request under
# gevent.Timeout(keepalive)), and how long an idle kept-alive connection stays open. A client
# that has not sent its headers by then is disconnected. Must stay above 0: with 0 the gevent
# worker reads the first request with no deadline at all.
keepalive = 5
# A worker that does not report to the master for this long is killed and restarted. In a
# gevent worker that means one request holding the CPU this long (nothing else runs meanwhile);
# searches take milliseconds here, p99 1.2 s at 1 M clauses (README, Performance).
timeout = 30
graceful_timeout = 30

# gunicorn's own limits, refused before the app runs (with the security headers, see above).
# The request line limit is below the app's 4 KB query string limit (web/security.py), so a
# query string that long is refused by gunicorn with 414 first.
limit_request_line = 4094
limit_request_fields = 100
limit_request_field_size = 8190

# Each worker loads the app after gevent's monkey-patching (its locks are then greenlet-aware)
# and opens the index itself.
preload_app = False

# gunicorn's control socket (for `gunicornc`) is one path per user, $HOME/.gunicorn/gunicorn.ctl,
# so two servers on one machine (a second office instance, the tests, bench.load) would take it
# from each other; nothing here uses it.
control_socket_disable = True
