// Loaded into every page of the canvas benchmark before the app's own scripts (an init script).
// It collects requestAnimationFrame deltas and long tasks, can hold back draft saves to show that
// editing does not wait on the network, and tells when every node in view is painted.
(() => {
  const bench = {
    recording: false,
    frames: [],
    longTasks: [],
    saveDelayMs: 0,
    savesInFlight: 0,
    lastFrame: 0,
    previousTransform: null,
    startFrames() {
      this.frames = [];
      this.longTasks = [];
      this.recording = true;
    },
    stopFrames() {
      this.recording = false;
      return { frames: this.frames, longTasks: this.longTasks };
    },
    /** True once every node whose box meets the canvas is in the page and measured (React Flow
     * hides a node until it knows its size), and the viewport held still for one frame. */
    painted(positions, nodeWidth, nodeHeight) {
      const pane = document.querySelector('.react-flow');
      const viewport = document.querySelector('.react-flow__viewport');
      if (!pane || !viewport) return false;
      const transform = viewport.style.transform;
      const settled = transform === this.previousTransform;
      this.previousTransform = transform;
      const match = /translate\(([-\d.e]+)px, ([-\d.e]+)px\) scale\(([-\d.e]+)\)/.exec(transform);
      if (!match || !settled) return false;
      const [x, y, zoom] = match.slice(1).map(Number);
      const box = pane.getBoundingClientRect();
      let expected = 0;
      for (const [id, px, py] of positions) {
        const left = px * zoom + x;
        const top = py * zoom + y;
        if (left > box.width || top > box.height || left + nodeWidth * zoom < 0 || top + nodeHeight * zoom < 0)
          continue;
        expected += 1;
        const element = pane.querySelector(`.react-flow__node[data-id="${CSS.escape(id)}"]`);
        if (!element || element.style.visibility === 'hidden') return false; // React Flow's mark of an unmeasured node
      }
      return expected > 0 ? { at: performance.now(), expected, rendered: pane.querySelectorAll('.react-flow__node').length } : false;
    },
  };
  const onFrame = (time) => {
    if (bench.recording && bench.lastFrame) bench.frames.push(time - bench.lastFrame);
    bench.lastFrame = time;
    requestAnimationFrame(onFrame);
  };
  requestAnimationFrame(onFrame);
  new PerformanceObserver((list) => {
    if (!bench.recording) return;
    for (const entry of list.getEntries()) bench.longTasks.push(entry.duration);
  }).observe({ type: 'longtask' });
  const realFetch = window.fetch.bind(window);
  window.fetch = async (url, options) => {
    if (options?.method !== 'PUT' || !String(url).includes('/draft/')) return realFetch(url, options);
    bench.savesInFlight += 1;
    try {
      if (bench.saveDelayMs) await new Promise((resolve) => setTimeout(resolve, bench.saveDelayMs));
      return await realFetch(url, options);
    } finally {
      bench.savesInFlight -= 1;
    }
  };
  window.__bench = bench;
})();
