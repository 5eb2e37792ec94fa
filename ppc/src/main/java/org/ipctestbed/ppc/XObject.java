package org.ipctestbed.ppc;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * An exported object as K42's stub compiler generates it: a table of methods, each with the rights it
 * requires ({@code __xa(...)}), and the object's access rule (research/k42.md 1.2 step 6, invariant
 * 6). A call is allowed iff {@code (pid(caller) == matchPid && required ⊆ mrights) || required ⊆
 * urights}; otherwise {@code EPERM} and the method is not invoked. {@code caller} is the
 * kernel-written badge.
 *
 * <p>Immutable once built. The sequence number that makes a handle stale lives in the exporting
 * process's table ({@link PpcProcess#revoke}), not here.
 */
public final class XObject {
  /** No rights. */
  public static final int NONE = 0;

  /** Every right. */
  public static final int ALL = -1;

  private final String name;
  private final PpcMethod[] methods;
  private final int[] required;
  private final int matchPid;
  private final int mrights;
  private final int urights;

  private XObject(Builder b) {
    this.name = b.name;
    this.methods = b.methods.toArray(new PpcMethod[0]);
    this.required = b.required.stream().mapToInt(Integer::intValue).toArray();
    this.matchPid = b.matchPid;
    this.mrights = b.mrights;
    this.urights = b.urights;
  }

  /** A builder for an object called {@code name} (for reports). */
  public static Builder builder(String name) {
    return new Builder(name);
  }

  public String name() {
    return name;
  }

  /** K42's {@code __nummeth}. */
  public int methodCount() {
    return methods.length;
  }

  /** The rights check of the generated X-object. */
  public boolean allowed(long caller, int method) {
    int req = required[method];
    return (CommID.pid(caller) == matchPid && (req & ~mrights) == 0) || (req & ~urights) == 0;
  }

  /** Method {@code i} (in range). */
  PpcMethod method(int i) {
    return methods[i];
  }

  @Override
  public String toString() {
    return "XObject[" + name + ", " + methods.length + " methods]";
  }

  /** Builds an {@link XObject}. By default any process may call any method ({@code urights = ALL}). */
  public static final class Builder {
    private final String name;
    private final List<PpcMethod> methods = new ArrayList<>();
    private final List<Integer> required = new ArrayList<>();
    private int matchPid = -1;
    private int mrights = NONE;
    private int urights = ALL;

    private Builder(String name) {
      this.name = Objects.requireNonNull(name, "object name");
    }

    /** Adds the next method (numbered from 0) requiring no rights. */
    public Builder method(PpcMethod m) {
      return method(m, NONE);
    }

    /** Adds the next method (numbered from 0) requiring {@code rights} ({@code __xa}). */
    public Builder method(PpcMethod m, int rights) {
      methods.add(Objects.requireNonNull(m, "method"));
      required.add(rights);
      return this;
    }

    /** Rights held by process {@code pid} ({@code matchPID}, {@code mrights}). */
    public Builder owner(int pid, int rights) {
      this.matchPid = pid;
      this.mrights = rights;
      return this;
    }

    /** Rights held by every process ({@code urights}). */
    public Builder universal(int rights) {
      this.urights = rights;
      return this;
    }

    public XObject build() {
      if (methods.isEmpty()) {
        throw new IllegalArgumentException("object '" + name + "' needs at least one method");
      }
      return new XObject(this);
    }
  }
}
