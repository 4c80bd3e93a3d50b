#!/bin/sh
# Proxies to the second tier by its Service name, as an app in Kubernetes would.
echo "Content-Type: application/json"
echo ""
wget -q -T 2 -O - "http://${API_HOST:-api}:${API_PORT:-80}/" || echo '{"error":"api unreachable"}'
