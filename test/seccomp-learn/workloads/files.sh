# Shell-script service: writes files in /tmp and reads them back.
i=0
while [ $i -lt 20 ]; do
  echo "line $i" > /tmp/f$i
  cat /tmp/f$i >/dev/null
  i=$((i+1))
done
grep -q "line 3" /tmp/f3 && echo ok
