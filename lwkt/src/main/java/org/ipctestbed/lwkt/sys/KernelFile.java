package org.ipctestbed.lwkt.sys;

/**
 * A file the {@link LwktKernel} serves: its bytes, and whether a transfer can complete in the
 * caller's context ({@code cached}: the data is in memory, the syscall port's put function copies it
 * at once and returns the result) or needs the device ({@code deviceLatencyNs}: the message is
 * forwarded to the kernel thread of the caller's CPU, which waits for the device and then copies).
 * This is the split research/lwkt.md section 5 describes: synchronous when the port can, queued to a
 * kernel server thread otherwise.
 *
 * <p>Semantics are those of {@code pread}/{@code pwrite} at offset 0: a read returns up to {@code
 * len} bytes from the start of the file, a write replaces the start of the file (up to its size).
 */
public final class KernelFile {
  final String name;
  final byte[] data;
  final boolean cached;
  final long deviceLatencyNs;

  /**
   * @param size bytes in the file
   * @param cached whether transfers complete synchronously in the caller's context
   * @param deviceLatencyNs for an uncached file, how long the device takes per transfer
   */
  public KernelFile(String name, int size, boolean cached, long deviceLatencyNs) {
    if (size < 0 || deviceLatencyNs < 0) {
      throw new IllegalArgumentException("file '" + name + "': size and device latency must be >= 0");
    }
    this.name = name;
    this.data = new byte[size];
    this.cached = cached;
    this.deviceLatencyNs = deviceLatencyNs;
  }

  public String name() {
    return name;
  }

  public boolean cached() {
    return cached;
  }

  /** The file's bytes (for tests and workloads to fill or inspect). */
  public byte[] data() {
    return data;
  }
}
