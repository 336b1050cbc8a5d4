# A small HTTP server (busybox httpd) on loopback, exercised with wget.
mkdir -p /tmp/www && echo hello > /tmp/www/index.html
httpd -p 127.0.0.1:8080 -h /tmp/www
i=0
while [ $i -lt 3 ]; do
  wget -q -O /tmp/got http://127.0.0.1:8080/index.html && grep -q hello /tmp/got && echo ok && exit 0
  sleep 0.5; i=$((i+1))
done
exit 1
