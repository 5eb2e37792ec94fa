package org.ipctestbed.lwkt.spi;

import org.ipctestbed.ipc.IpcMessage;
import org.ipctestbed.lwkt.LwktMsg;

/**
 * The SPI's request as an LWKT message: an {@code lwkt_msg} embedded in a request structure that
 * owns its own request and reply buffers (as DragonFly's netmsg and sysmsg embed theirs). The
 * client copies its request into {@link #request} before sending; the server's handler reads it and
 * fills {@link #reply} in place; the client copies the reply out. Preallocated per connection and
 * reused, never allocated per call.
 */
final class RpcMsg extends LwktMsg {
  final IpcMessage request;
  final IpcMessage reply;

  RpcMsg(int requestCapacity, int replyCapacity) {
    this.request = new IpcMessage(requestCapacity);
    this.reply = new IpcMessage(replyCapacity);
  }
}
