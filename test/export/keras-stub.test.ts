import { execFileSync } from 'node:child_process';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

// The recording stand-in for Keras must refuse what Keras 3 refuses, or the Keras export tests prove nothing.
const stub = path.join(__dirname, 'keras-stub');

function run(statement: string): { ok: boolean; output: string } {
  const code = `from tensorflow.keras import layers\nx = __import__("tensorflow.keras", fromlist=["Input"]).Input(shape=[4], name="x")\n${statement}\nprint("ok")`;
  try {
    return { ok: true, output: execFileSync('python3', ['-c', code], { env: { ...process.env, PYTHONPATH: stub }, encoding: 'utf8', stdio: 'pipe' }) };
  } catch (error) {
    return { ok: false, output: String((error as { stderr?: string }).stderr ?? error) };
  }
}

describe('Keras recording stand-in', () => {
  it.each([
    ['layers.LeakyReLU(name="a", negative_slope=0.2)(x)'],
    ['layers.Dense(name="a", units=3, activation="relu")(x)'],
    ['layers.BatchNormalization(name="a", center=False)(x)'],
  ])('accepts Keras 3 arguments: %s', (statement) => {
    expect(run(statement)).toMatchObject({ ok: true });
  });

  it.each([
    ['layers.LeakyReLU(name="a", alpha=0.2)(x)', /unexpected keyword argument\(s\): alpha/],
    ['layers.Dense(name="a", units=3, kernel_size=3)(x)', /unexpected keyword argument\(s\): kernel_size/],
    ['layers.Dense(name="a")(x)', /missing required argument\(s\): units/],
    ['layers.Conv2d(name="a", filters=1, kernel_size=1)(x)', /no attribute 'Conv2d'/],
  ])('refuses what Keras 3 refuses: %s', (statement, message) => {
    const result = run(statement);
    expect(result.ok).toBe(false);
    expect(result.output).toMatch(message);
  });
});
