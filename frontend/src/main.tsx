import '@xyflow/react/dist/style.css';
import './styles.css';
import './gallery/gallery.css';
import './theme/themes.css';
import './history/history.css';
import './notes/notes.css';
import './parameters/parameters.css';
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './App';
import { startTheme } from './theme/themeStore';

startTheme();
const root = document.getElementById('root');
if (!root) throw new Error('the page shell has no #root element');
createRoot(root).render(
  <StrictMode>
    <App />
  </StrictMode>,
);
