package org.ipctestbed.experiments.results;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Writes result files whole or not at all (issue 6, "Files are written whole"): the content goes to a
 * temporary file {@code .tmp-NAME-RANDOM[.ext]} in the same folder, is forced to disk, and is then
 * renamed over the target in one atomic step. A reader therefore sees the old file or the new one,
 * never a torn one, and a crash leaves at most a {@code .tmp-} file (ignored by git).
 */
public final class AtomicFiles {
  private AtomicFiles() {}

  /** What produces a file's content. */
  @FunctionalInterface
  public interface Content {
    void writeTo(OutputStream out) throws IOException;
  }

  /** What writes a file at a path chosen by the caller (for libraries that only write to a path). */
  @FunctionalInterface
  public interface PathWriter {
    void writeTo(Path temporary) throws IOException;
  }

  /** Writes {@code text} (UTF-8) to {@code target} atomically. */
  public static void writeString(Path target, String text) {
    write(target, out -> out.write(text.getBytes(StandardCharsets.UTF_8)));
  }

  /**
   * Writes what {@code content} produces to {@code target} atomically; if {@code content} throws,
   * {@code target} is untouched and the temporary file is removed.
   *
   * @throws UncheckedIOException when the folder cannot be written
   */
  public static void write(Path target, Content content) {
    ByteArrayOutputStream buf = new ByteArrayOutputStream();
    try {
      content.writeTo(buf);
    } catch (IOException e) {
      throw new UncheckedIOException("could not produce " + target + ": " + e.getMessage(), e);
    }
    byte[] bytes = buf.toByteArray();
    writeVia(target, tmp -> {
      try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.WRITE, StandardOpenOption.CREATE_NEW)) {
        java.nio.ByteBuffer b = java.nio.ByteBuffer.wrap(bytes);
        while (b.hasRemaining()) {
          ch.write(b);
        }
        ch.force(true);
      }
    });
  }

  /**
   * Lets {@code writer} write a temporary file beside {@code target} (with the same extension, for
   * encoders that insist on one), then renames it over {@code target}.
   */
  public static void writeVia(Path target, PathWriter writer) {
    Path dir = target.toAbsolutePath().getParent();
    String name = target.getFileName().toString();
    int dot = name.lastIndexOf('.');
    String ext = dot > 0 ? name.substring(dot) : "";
    Path tmp =
        dir.resolve(".tmp-" + (dot > 0 ? name.substring(0, dot) : name) + "-"
            + Long.toHexString(ThreadLocalRandom.current().nextLong()) + ext);
    boolean moved = false;
    try {
      writer.writeTo(tmp);
      if (!Files.isRegularFile(tmp)) {
        throw new IOException("the writer produced no file");
      }
      try {
        Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
      } catch (AtomicMoveNotSupportedException e) {
        Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING);
      }
      moved = true;
    } catch (IOException e) {
      throw new UncheckedIOException("could not write " + target + ": " + e.getMessage(), e);
    } finally {
      if (!moved) {
        try {
          Files.deleteIfExists(tmp);
        } catch (IOException ignored) {
          // best effort: a leftover .tmp- file is ignored by readers and by git
        }
      }
    }
  }
}
