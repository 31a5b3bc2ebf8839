import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './app/app';
import { AppProvider, createAppServices } from './app/provider';
import './styles.css';

const root = document.getElementById('root');
if (!root) throw new Error('#root is missing from index.html');

const services = createAppServices();
// A hot reload replaces this module; close the old socket instead of leaking it.
import.meta.hot?.dispose(() => services.close());

createRoot(root).render(
  <StrictMode>
    <AppProvider services={services}>
      <App />
    </AppProvider>
  </StrictMode>,
);
