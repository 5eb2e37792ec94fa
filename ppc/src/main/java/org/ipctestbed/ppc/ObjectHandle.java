package org.ipctestbed.ppc;

/**
 * What a K42 client holds to reach an exported object: the server's {@link CommID} and the object's
 * {@link XHandle} (research/k42.md section 0, {@code lib/libc/cobj/ObjectHandle.H}). Handles built
 * from a PID use RD 0 and the wildcard VP. Immutable; made once by the client, never per call.
 *
 * @param commId the target's CommID (usually with the wildcard VP)
 * @param xhandle the exported object's index and sequence number
 */
public record ObjectHandle(long commId, long xhandle) {
  /** The handle of object {@code xhandle} of process {@code pid}, wildcard VP. */
  public static ObjectHandle of(int pid, long xhandle) {
    return new ObjectHandle(CommID.wild(pid), xhandle);
  }

  @Override
  public String toString() {
    return "OH(" + CommID.toString(commId) + ", " + XHandle.toString(xhandle) + ")";
  }
}
