package org.ipctestbed.experiments.results;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.core.util.DefaultIndenter;
import com.fasterxml.jackson.core.util.DefaultPrettyPrinter;
import com.fasterxml.jackson.core.util.Separators;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonSerializer;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectWriter;
import com.fasterxml.jackson.databind.SerializerProvider;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.module.SimpleModule;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.MalformedInputException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * JSON for {@code metadata.json} and the benchmark results, through Jackson: the one class that owns
 * that dependency (as {@code Coroutine} owns the JDK's continuations), so its configuration and the
 * failures it turns into clear errors are in one place.
 *
 * <p>Writing: maps keep their insertion order, two-space indentation, {@code "\n"} line ends on every
 * OS and a final line break, so the same map gives the same bytes; a non-finite double is written as
 * {@code null}, a finite one with {@link Csv#number}'s ten significant digits.
 *
 * <p>Reading is strict and bounded: integral numbers come back as {@link Long} (as before), others as
 * {@link Double}; a duplicate key, trailing content or nesting deeper than {@link #MAX_DEPTH} is an
 * error; every error is an {@link IllegalArgumentException} of one line naming the line and column
 * (and the file, for {@link #read(Path)}), never a stack overflow. Bytes that are not UTF-8 are
 * named as such.
 */
public final class Json {
  private Json() {}

  /** The deepest nesting a reader accepts: metadata.json needs four levels. */
  public static final int MAX_DEPTH = 64;

  private static final ObjectMapper MAPPER = mapper();
  private static final ObjectWriter WRITER = MAPPER.writer(printer());

  private static ObjectMapper mapper() {
    SimpleModule doubles = new SimpleModule("testbed-doubles");
    JsonSerializer<Number> finiteOrNull = new JsonSerializer<>() {
      @Override
      public void serialize(Number v, JsonGenerator g, SerializerProvider p) throws IOException {
        double d = v.doubleValue();
        if (Double.isFinite(d)) {
          g.writeNumber(Csv.number(d));
        } else {
          g.writeNull();
        }
      }
    };
    doubles.addSerializer(Double.class, finiteOrNull);
    doubles.addSerializer(Float.class, finiteOrNull);
    JsonMapper m = JsonMapper.builder()
        .enable(DeserializationFeature.USE_LONG_FOR_INTS)
        .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
        .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
        .enable(StreamReadFeature.INCLUDE_SOURCE_IN_LOCATION)
        .addModule(doubles)
        .build();
    m.getFactory().setStreamReadConstraints(StreamReadConstraints.builder().maxNestingDepth(MAX_DEPTH).build());
    return m;
  }

  private static DefaultPrettyPrinter printer() {
    DefaultIndenter lines = new DefaultIndenter("  ", "\n");
    DefaultPrettyPrinter p = new DefaultPrettyPrinter()
        .withSeparators(Separators.createDefaultInstance().withObjectFieldValueSpacing(Separators.Spacing.AFTER));
    p.indentObjectsWith(lines);
    p.indentArraysWith(lines);
    return p;
  }

  /** {@code value} (maps, lists, strings, numbers, booleans, null) as indented JSON text with a final line break. */
  public static String write(Object value) {
    try {
      return WRITER.writeValueAsString(value) + "\n";
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot write JSON: " + e.getOriginalMessage(), e);
    }
  }

  /**
   * Parses {@code text}: maps, lists, strings, {@link Long}, {@link Double}, booleans and null.
   *
   * @throws IllegalArgumentException naming the line and column of the first problem
   */
  public static Object parse(String text) {
    JsonParser p = null;
    try {
      p = MAPPER.createParser(text);
      return MAPPER.readValue(p, Object.class);
    } catch (JsonProcessingException e) {
      // A limit (nesting depth) is reported without a location: the parser knows where it stopped.
      JsonLocation at = e.getLocation() != null ? e.getLocation() : p == null ? null : p.currentLocation();
      throw new IllegalArgumentException(where(at) + problem(e), e);
    } catch (IOException e) {
      throw new IllegalArgumentException(e.getMessage(), e);
    } finally {
      if (p != null) {
        try {
          p.close();
        } catch (IOException ignored) {
          // a parser over a string holds nothing to release
        }
      }
    }
  }

  /**
   * Reads and parses the JSON file {@code f}.
   *
   * @throws IllegalArgumentException of one line naming {@code f}: not readable, not UTF-8 (with the
   *     byte offset), or not valid JSON (with the line and column)
   */
  public static Object read(Path f) {
    byte[] bytes;
    try {
      bytes = Files.readAllBytes(f);
    } catch (IOException e) {
      throw new IllegalArgumentException("cannot read " + f + ": " + e.getMessage(), e);
    }
    String text = utf8(f, bytes);
    try {
      return parse(text);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(f + ": " + e.getMessage(), e);
    }
  }

  /**
   * {@code bytes} of {@code f} decoded strictly as UTF-8.
   *
   * @throws IllegalArgumentException naming the file and the offset of the first byte that is not UTF-8
   */
  public static String utf8(Path f, byte[] bytes) {
    try {
      return StandardCharsets.UTF_8.newDecoder()
          .onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT)
          .decode(ByteBuffer.wrap(bytes))
          .toString();
    } catch (MalformedInputException e) {
      int at = firstBad(bytes);
      throw new IllegalArgumentException(f + " is not UTF-8 text (byte " + at + " of " + bytes.length + ")", e);
    } catch (CharacterCodingException e) {
      throw new IllegalArgumentException(f + " is not UTF-8 text", e);
    }
  }

  private static int firstBad(byte[] bytes) {
    var dec = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT);
    ByteBuffer in = ByteBuffer.wrap(bytes);
    var out = java.nio.CharBuffer.allocate(bytes.length + 1);
    dec.decode(in, out, true);
    return in.position();
  }

  /** The first line of {@code e}'s message, or its type when it has none. */
  public static String firstLine(Throwable e) {
    String m = e.getMessage();
    return m == null || m.isBlank() ? e.getClass().getSimpleName() : m.lines().findFirst().orElse("").strip();
  }

  private static String where(JsonLocation l) {
    return l == null || l.getLineNr() < 1 ? "" : "line " + l.getLineNr() + ", column " + l.getColumnNr() + ": ";
  }

  private static String problem(JsonProcessingException e) {
    String m = e.getOriginalMessage();
    if (m == null) {
      return e.getClass().getSimpleName();
    }
    int nl = m.indexOf('\n');
    return (nl < 0 ? m : m.substring(0, nl)).strip();
  }
}
