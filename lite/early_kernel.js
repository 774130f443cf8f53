// A JupyterLite extension, loaded as is (no build step): it starts the kernel of
// the notebook named in the page's address (`?path=`) as soon as the app starts,
// instead of once the notebook has opened. The kernel then loads Python beside
// the page loading JupyterLab, and the notebook connects to it when it opens.
(function () {
  const KERNEL_PLUGIN = '@jupyterlite/pyodide-kernel-extension:kernel';

  async function startKernelEarly(app) {
    const path = new URLSearchParams(window.location.search).get('path');
    if (!path || !path.endsWith('.ipynb')) {
      return;
    }
    const { contents, kernelspecs, sessions } = app.serviceManager;
    await Promise.all([
      contents.get(path, { content: false }), // no kernel for a notebook that is not there
      app.activatePlugin(KERNEL_PLUGIN), // the plugin that makes the Python kernel known
    ]);
    await kernelspecs.refreshSpecs();
    await sessions.startNew({
      path,
      name: path.split('/').pop(), // the name the notebook's own session would take
      type: 'notebook',
      kernel: { name: kernelspecs.specs.default },
    });
  }

  const plugin = {
    id: 'yieldlab-early-kernel:plugin',
    description: "Starts the kernel of the notebook in the page's address while the page loads.",
    autoStart: true,
    activate: (app) => {
      startKernelEarly(app).catch((error) => {
        console.warn('The kernel will start when the notebook opens:', error);
      });
    },
  };

  // The module federation container that JupyterLab loads extensions from.
  window._JUPYTERLAB = window._JUPYTERLAB || {};
  window._JUPYTERLAB['yieldlab-early-kernel'] = {
    init: async () => {},
    get: async () => () => plugin,
  };
})();
