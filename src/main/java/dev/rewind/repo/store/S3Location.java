package dev.rewind.repo.store;

import java.net.URI;
import java.net.URLDecoder;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Where an S3 repository is: {@code s3://BUCKET[/PREFIX][?endpoint=URL&region=R&path-style=true|false&conditional-writes=false]}.
 * Without an endpoint the client talks to AWS (virtual-hosted style); with one (MinIO, Ceph, S3Proxy)
 * it uses path-style addressing unless told otherwise. Credentials are never part of it: they come
 * from the SDK's standard chain (environment, system properties, profile files, instance roles).
 */
public record S3Location(String bucket, String prefix, String endpoint, String region, boolean pathStyle,
                         boolean conditionalWrites) {

    public static boolean isS3(String location) {
        return location.startsWith("s3://");
    }

    /** Parses a location; IllegalArgumentException with a readable message when it is not one. */
    public static S3Location parse(String location) {
        if (!isS3(location)) {
            throw new IllegalArgumentException("not an s3:// location: " + location);
        }
        String rest = location.substring("s3://".length());
        String query = "";
        int q = rest.indexOf('?');
        if (q >= 0) {
            query = rest.substring(q + 1);
            rest = rest.substring(0, q);
        }
        int slash = rest.indexOf('/');
        String bucket = slash < 0 ? rest : rest.substring(0, slash);
        String prefix = slash < 0 ? "" : rest.substring(slash + 1);
        while (prefix.endsWith("/")) {
            prefix = prefix.substring(0, prefix.length() - 1);
        }
        if (!bucket.matches("[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]")) {
            throw new IllegalArgumentException("'" + bucket + "' is not an S3 bucket name (3 to 63 of a-z, 0-9, '.', '-')");
        }
        if (!prefix.isEmpty()) {
            BlobNames.check(prefix);
        }
        Map<String, String> params = new LinkedHashMap<>();
        for (String pair : query.split("&")) {
            if (pair.isEmpty()) {
                continue;
            }
            int eq = pair.indexOf('=');
            String key = eq < 0 ? pair : pair.substring(0, eq);
            String value = eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
            if (!key.matches("endpoint|region|path-style|conditional-writes")) {
                throw new IllegalArgumentException("unknown parameter '" + key + "' in " + location
                        + " (known: endpoint, region, path-style, conditional-writes)");
            }
            params.put(key, value);
        }
        String endpoint = params.get("endpoint");
        if (endpoint != null) {
            URI uri = URI.create(endpoint);
            if (!"http".equals(uri.getScheme()) && !"https".equals(uri.getScheme()) || uri.getHost() == null) {
                throw new IllegalArgumentException("the S3 endpoint must be an http:// or https:// URL, not '" + endpoint + "'");
            }
        }
        boolean pathStyle = params.containsKey("path-style") ? bool(params.get("path-style"), "path-style") : endpoint != null;
        boolean conditional = !params.containsKey("conditional-writes") || bool(params.get("conditional-writes"), "conditional-writes");
        return new S3Location(bucket, prefix, endpoint, params.get("region"), pathStyle, conditional);
    }

    /** The location with the command line's --s3-* options folded in (each overrides the same parameter). */
    public static String withOptions(String location, String endpoint, String region, Boolean pathStyle) {
        if (endpoint == null && region == null && pathStyle == null) {
            return location;
        }
        StringBuilder out = new StringBuilder(location);
        char sep = location.contains("?") ? '&' : '?';
        if (endpoint != null) {
            out.append(sep).append("endpoint=").append(URLEncoder.encode(endpoint, StandardCharsets.UTF_8));
            sep = '&';
        }
        if (region != null) {
            out.append(sep).append("region=").append(URLEncoder.encode(region, StandardCharsets.UTF_8));
            sep = '&';
        }
        if (pathStyle != null) {
            out.append(sep).append("path-style=").append(pathStyle);
        }
        return out.toString();
    }

    private static boolean bool(String value, String key) {
        if (!value.equals("true") && !value.equals("false")) {
            throw new IllegalArgumentException(key + " must be true or false, not '" + value + "'");
        }
        return Boolean.parseBoolean(value);
    }

    /** For messages: {@code s3://bucket/prefix}, with the endpoint when there is one. */
    public String describe() {
        return "s3://" + bucket + (prefix.isEmpty() ? "" : "/" + prefix) + (endpoint == null ? "" : " at " + endpoint);
    }
}
