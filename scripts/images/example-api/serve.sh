# A tiny JSON service: busybox httpd runs cgi-bin/index.cgi for "/".
mkdir -p /srv/cgi-bin
cat > /srv/cgi-bin/index.cgi <<SCRIPT
#!/bin/sh
echo "Content-Type: application/json"
echo ""
echo "{\"service\":\"api\",\"pod\":\"\$(hostname)\",\"version\":\"${VERSION:-1}\",\"greeting\":\"${GREETING:-hello}\"}"
SCRIPT
chmod 755 /srv/cgi-bin/index.cgi
exec httpd -f -v -p "${PORT:-9000}" -h /srv
