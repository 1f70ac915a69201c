// The training service's tests (events, stop, crash, NaN, worker semantics) once more, on the onnxruntime engine.
process.env.NETWEAVE_TEST_ENGINE = 'onnxruntime';
export {};
await import('./training-service.test');
