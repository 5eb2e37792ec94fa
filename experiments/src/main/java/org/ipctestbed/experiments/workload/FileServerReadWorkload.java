package org.ipctestbed.experiments.workload;

import java.util.List;
import org.ipctestbed.ipc.Connection;
import org.ipctestbed.ipc.Handler;
import org.ipctestbed.ipc.IpcMessage;
import org.ipctestbed.ipc.IpcSystem;
import org.ipctestbed.ipc.Service;
import org.ipctestbed.ipc.ServiceSpec;
import org.ipctestbed.ipc.Status;
import org.ipctestbed.substrate.Fiber;
import org.ipctestbed.substrate.Machine;
import org.ipctestbed.substrate.Process;

/**
 * {@code file-server-read} (called {@code syscall-read} before): {@code read()} as a call to a
 * user-level file-server process through the IPC interface. The client's {@code read(fd, buf, n)}
 * builds a request and calls a file-server process, which does the file system's work and returns
 * the bytes in the reply (research/lwkt.md 5: "read() moved into libc and actually build, dispatch,
 * and wait for the syscall message"; in K42 almost every kernel service is a PPC to the kernel
 * process, research/k42.md 1.1). In the same run the client also reads through a plain procedure
 * call into its own copy of the file system (no message, no copy across a boundary): the {@code
 * read-direct} baseline.
 *
 * <pre>
 *   CPU 0: [client-0] --read(fd, off, n)--> [file-server]: work(file-work-ns), copy n bytes out
 *                     <--n bytes-----------
 *          [client-0] read_direct(fd, off, n): work(file-work-ns), copy n bytes   (no IPC)
 * </pre>
 *
 * <p>The two reads alternate, so both see the same machine state; each has {@code warmup}
 * unmeasured repetitions. Reads are sequential through a {@value #FILE_BYTES}-byte file, wrapping at
 * its end; the client checks the length and the first and last byte of every read against the
 * file's contents. Metrics {@code read} and {@code read-direct}; counter {@code ops} (message reads).
 * The difference of the two is what making {@code read()} a call to another process costs. For
 * DragonFly's system calls as messages (a message to the kernel, handled in the caller's context)
 * see {@code syscall-msg}.
 *
 * <p>Mapping: the file server is served on the client's CPU, as a kernel is (a synchronous,
 * same-CPU message: LWKT's {@code domsg}, K42's PPC). A mechanism whose reply carries fewer than
 * {@code bytes} bytes refuses the read ({@code ENOSPC} from the file server, which will not truncate
 * silently): the run records {@code refused} and a note, and measures nothing more.
 */
public final class FileServerReadWorkload implements Workload {
  /** Size of the file being read. */
  static final int FILE_BYTES = 1 << 16;

  /** Largest read: one page, the same top as the payload sweep. */
  static final int MAX_BYTES = 4096;

  /** The only open file descriptor. */
  static final long FD = 3;

  /** Request op of read(). */
  static final int OP_READ = 3;

  @Override
  public String name() {
    return "file-server-read";
  }

  @Override
  public String description() {
    return "read() as a call to a user-level file-server process through the IPC interface, against the same read as a procedure call";
  }

  @Override
  public List<Param> params() {
    return List.of(
        StandardParams.ops(20_000, "reads of each kind"),
        StandardParams.warmup(2_000, "reads of each kind"),
        new Param("bytes", "512", "bytes per read, 0.." + MAX_BYTES),
        StandardParams.workNs("file-work-ns", 200, "file-system work per read"));
  }

  @Override
  public void install(Machine machine, IpcSystem ipc, WorkloadParams params, Measurements sink) {
    long ops = StandardParams.ops(params);
    long warmup = StandardParams.warmup(params);
    int bytes = params.intValue("bytes", 0, MAX_BYTES);
    long fileWorkNs = StandardParams.workNs(params, "file-work-ns");

    Process fileServer = machine.newProcess("file-server");
    Service files = ipc.export(fileServer, new ServiceSpec("file", new int[] {0}, MAX_BYTES), new FileServer(fileWorkNs));

    Process client = machine.newProcess("client-0");
    Connection c = ipc.connect(client, 0, files);
    FileSystem local = new FileSystem(fileWorkNs);
    IpcMessage request = new IpcMessage(0);
    IpcMessage reply = new IpcMessage(bytes);
    byte[] buf = new byte[bytes];
    Measurements.LatencyRecorder read = sink.latency("read");
    Measurements.LatencyRecorder readDirect = sink.latency("read-direct");
    Measurements.Counter opsCounter = sink.counter("ops");
    Refusals refusals = new Refusals(sink);
    WarmupBarrier barrier = sink.warmupBarrier(1);
    client.spawn("client-0", 0, self -> {
      long offset = 0;
      for (long i = 0; i < warmup + ops; i++) {
        if (i == warmup) {
          barrier.arrive(self);
        }
        if (offset + bytes > FILE_BYTES) {
          offset = 0;
        }
        request.clear().op(OP_READ).word(0, FD).word(1, offset).word(2, bytes);
        long t0 = self.now();
        int st = c.call(self, request, reply);
        long t1 = self.now();
        if (st != Status.OK) {
          if (refusals.sizeRefused(st, bytes, "client-0")) {
            if (i < warmup) {
              barrier.withdraw();
            }
            return;
          }
          throw new IllegalStateException("client-0: read " + i + " returned " + Status.name(st));
        }
        FileSystem.check(reply.word(0), reply.payload(), reply.length(), offset, bytes, "read");

        long t2 = self.now();
        long n = local.read(self, offset, bytes, buf);
        long t3 = self.now();
        FileSystem.check(n, buf, (int) n, offset, bytes, "read-direct");

        if (i >= warmup) {
          read.record(t1 - t0);
          readDirect.record(t3 - t2);
          opsCounter.increment();
        }
        offset += bytes;
      }
    });
  }

  /**
   * A file system's read path, over an in-memory file whose byte {@code i} is {@link #byteAt(long)}:
   * used by the file server (behind a message) and by the client (as a procedure call).
   */
  static final class FileSystem {
    private final long workNs;
    private final byte[] file = new byte[FILE_BYTES];

    FileSystem(long workNs) {
      this.workNs = workNs;
      for (int i = 0; i < FILE_BYTES; i++) {
        file[i] = byteAt(i);
      }
    }

    static byte byteAt(long offset) {
      return (byte) (offset * 31 + 7);
    }

    /**
     * Reads {@code n} bytes at {@code offset} into {@code into} after the file system's work.
     *
     * @return bytes read, or {@code -EINVAL} for a range outside the file
     */
    long read(Fiber self, long offset, int n, byte[] into) {
      if (offset < 0 || n < 0 || offset + n > FILE_BYTES || n > into.length) {
        return -Status.EINVAL;
      }
      if (workNs > 0) {
        self.work(workNs);
      }
      System.arraycopy(file, (int) offset, into, 0, n);
      return n;
    }

    /** Checks a read's result against the file's contents; throws naming the read otherwise. */
    static void check(long result, byte[] data, int length, long offset, int n, String what) {
      if (result != n || length != n) {
        throw new IllegalStateException(what + " at " + offset + ": asked " + n + " bytes, got " + result + " (length " + length + ")");
      }
      if (n > 0 && (data[0] != byteAt(offset) || data[n - 1] != byteAt(offset + n - 1))) {
        throw new IllegalStateException(what + " at " + offset + ": the bytes are not the file's");
      }
    }
  }

  /**
   * The file server's handler: {@code read(fd, offset, n)} from request words 0-2 into the reply's
   * payload, the count in reply word 0. Refuses an unknown fd ({@code EINVAL}) and a reply that
   * cannot hold {@code n} bytes ({@code ENOSPC}).
   */
  static final class FileServer implements Handler {
    private final FileSystem fs;

    FileServer(long workNs) {
      fs = new FileSystem(workNs);
    }

    @Override
    public int handle(Fiber self, IpcMessage request, IpcMessage reply) {
      long n = request.word(2);
      if (request.op() != OP_READ || request.word(0) != FD || n < 0 || n > MAX_BYTES) {
        return Status.EINVAL;
      }
      if (n > reply.capacity()) {
        return Status.ENOSPC;
      }
      long got = fs.read(self, request.word(1), (int) n, reply.payload());
      if (got < 0) {
        return (int) -got;
      }
      reply.op(OP_READ).word(0, got).length((int) got);
      return Status.OK;
    }
  }
}
