#!/bin/sh
# Proxies to the second tier by its Service name, as an app in Kubernetes would.
# (busybox's own `wget -T` crashes in the static build: `timeout` bounds the call instead.)
# CGI headers end in CRLF: strict HTTP clients (and proxies) reject bare LF.
printf 'Content-Type: application/json\r\n\r\n'
timeout 2 wget -q -O - "http://${API_HOST:-api}:${API_PORT:-80}/" || echo '{"error":"api unreachable"}'
