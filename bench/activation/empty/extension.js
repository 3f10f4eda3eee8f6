// The activation baseline: nothing to load, nothing to register (see ../probe/extension.js).
module.exports = { activate: () => {}, deactivate: () => {} };
