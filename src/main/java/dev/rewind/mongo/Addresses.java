package dev.rewind.mongo;

import com.mongodb.ConnectionString;
import java.net.InetAddress;
import java.net.NetworkInterface;
import java.net.SocketException;
import java.net.UnknownHostException;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Where host names point, for when a deployment cannot say who it is (a standalone server, or a
 * manifest written before deployments were recorded): each {@code host:port} resolved to its
 * addresses, and every address of this machine ({@code 0.0.0.0}, {@code 127.1}, {@code localhost},
 * {@code ::1}, this host's own interfaces) counted as one, so no spelling of an address hides it.
 */
public final class Addresses {
    private Addresses() { }

    /** The hosts of a connection string ({@code host:port}); empty when it does not parse. */
    public static List<String> hostsOf(String uri) {
        try {
            return new ConnectionString(uri).getHosts();
        } catch (RuntimeException e) {
            return List.of();
        }
    }

    /** Whether any host of {@code a} and any host of {@code b} reach the same address and port. */
    public static boolean overlap(List<String> a, List<String> b) {
        Set<String> keys = new HashSet<>();
        a.forEach(h -> keys.addAll(keys(h)));
        for (String h : b) {
            for (String k : keys(h)) {
                if (keys.contains(k)) {
                    return true;
                }
            }
        }
        return false;
    }

    /** {@code address:port} for every address a host names ({@code this-machine:port} for local ones). */
    static Set<String> keys(String hostPort) {
        String host = hostPort.trim().toLowerCase();
        int port = 27017;
        if (host.startsWith("[")) {
            int close = host.indexOf(']');
            if (close > 0 && host.length() > close + 2 && host.charAt(close + 1) == ':') {
                port = parsePort(host.substring(close + 2));
            }
            host = close > 0 ? host.substring(1, close) : host;
        } else if (host.indexOf(':') > 0 && host.indexOf(':') == host.lastIndexOf(':')) {
            port = parsePort(host.substring(host.indexOf(':') + 1));
            host = host.substring(0, host.indexOf(':'));
        }
        Set<String> out = new HashSet<>();
        try {
            for (InetAddress a : InetAddress.getAllByName(host)) {
                out.add((isThisMachine(a) ? "this-machine" : a.getHostAddress()) + ":" + port);
            }
        } catch (UnknownHostException e) {
            out.add(host + ":" + port);
        }
        return out;
    }

    private static boolean isThisMachine(InetAddress a) {
        if (a.isAnyLocalAddress() || a.isLoopbackAddress()) {
            return true;
        }
        try {
            return NetworkInterface.getByInetAddress(a) != null;
        } catch (SocketException e) {
            return false;
        }
    }

    private static int parsePort(String p) {
        try {
            return Integer.parseInt(p);
        } catch (NumberFormatException e) {
            return -1;
        }
    }
}
