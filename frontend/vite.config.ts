import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

// Django serves static/ at /static/, so the bundle in static/dist lives at /static/dist/.
// The shell view (designer/web) writes the entry tags from the manifest.
export default defineConfig({
  plugins: [react()],
  base: '/static/dist/',
  build: {
    outDir: '../static/dist',
    emptyOutDir: true,
    manifest: 'manifest.json',
    rollupOptions: { input: 'src/main.tsx' },
    // ELK (auto-layout, about 1.4 MB) is its own chunk, loaded only when someone lays out.
    chunkSizeWarningLimit: 1600,
  },
});
