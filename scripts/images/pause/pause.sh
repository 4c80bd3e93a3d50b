# PID 1 of a pod sandbox: sleep until told to stop; `wait` reaps orphaned children.
trap 'exit 0' TERM INT
while :; do
  sleep 86400 &
  wait $!
done
