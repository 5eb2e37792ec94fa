/**
 * The {@code lwkt} provider of the IPC SPI: {@link org.ipctestbed.lwkt.spi.LwktProvider} and the
 * thin adapter {@link org.ipctestbed.lwkt.spi.LwktIpcSystem}, whose Javadoc gives the mapping of each
 * SPI operation onto the native LWKT path.
 */
package org.ipctestbed.lwkt.spi;
