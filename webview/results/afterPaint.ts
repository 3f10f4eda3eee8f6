// Work the first frame of a result does not need runs after that frame is painted: a task posted from
// an animation-frame callback runs once the frame's style, layout and paint are done (the bench's own
// "painted" rule, bench/grid/host.ts). A MessageChannel task, not setTimeout, because timers may be
// clamped to a few milliseconds and queue behind other timers.

/** Runs `work` after the next frame has painted. The returned function cancels it if it has not run. */
export function afterPaint(work: () => void): () => void {
  let cancelled = false;
  const frame = requestAnimationFrame(() => {
    const channel = new MessageChannel();
    channel.port1.onmessage = () => {
      channel.port1.close();
      if (!cancelled) work();
    };
    channel.port2.postMessage(0);
  });
  return () => {
    cancelled = true;
    cancelAnimationFrame(frame);
  };
}
