// Preloaded (--import) into each service the local stack starts: services run in their own process group, so a
// signal to the terminal reaches only the stack, which stops them in order. Should the stack be killed without that
// chance, each service notices its parent is gone and stops itself as if the stack had stopped it.
const parent = process.ppid;
const watch = setInterval(() => {
  if (process.ppid === parent) return;
  clearInterval(watch);
  process.kill(process.pid, 'SIGTERM');
}, 500);
watch.unref();
