package dev.rewind.repo.store;

import java.io.IOException;
import java.net.URI;
import java.nio.file.NoSuchFileException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.SortedMap;
import java.util.TreeMap;
import software.amazon.awssdk.awscore.retry.AwsRetryStrategy;
import software.amazon.awssdk.core.checksums.RequestChecksumCalculation;
import software.amazon.awssdk.core.checksums.ResponseChecksumValidation;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.http.apache5.Apache5HttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.Delete;
import software.amazon.awssdk.services.s3.model.ObjectIdentifier;
import software.amazon.awssdk.services.s3.model.S3Exception;
import software.amazon.awssdk.services.s3.model.S3Object;

/**
 * A {@link ByteStore} in an S3-compatible bucket, under a prefix. A PUT is atomic on S3 (a reader sees
 * the old object or the whole new one), so {@code put} is one PUT; {@code putIfAbsent} is a conditional
 * PUT with {@code If-None-Match: *}, which the server answers 412 when the name exists. Where a server
 * lacks conditional writes ({@code conditional-writes=false}) it is a HEAD then a PUT, which is not
 * atomic with respect to another writer. The store does not retry and sets no deadline of its own
 * beyond the socket's: {@link RetryingStore} and {@link TimeoutStore} wrap it.
 */
public final class S3Store implements ByteStore {
    private static final int DELETE_BATCH = 1000;
    private final S3Client s3;
    private final S3Location where;

    public S3Store(S3Client s3, S3Location where) {
        this.s3 = s3;
        this.where = where;
    }

    /** One client per endpoint, region and addressing style, for the life of the process (it pools connections). */
    private static final java.util.Map<String, S3Client> CLIENTS = new java.util.concurrent.ConcurrentHashMap<>();

    /** A store at the location, with a shared client: the standard credential chain, no retries of its own. */
    public static S3Store open(S3Location where) {
        String region = where.region() != null ? where.region() : System.getenv("AWS_REGION") != null ? System.getenv("AWS_REGION")
                : System.getProperty("aws.region") != null ? System.getProperty("aws.region") : "us-east-1";
        S3Client client = CLIENTS.computeIfAbsent(where.endpoint() + " " + region + " " + where.pathStyle(),
                k -> client(where, region));
        return new S3Store(client, where);
    }

    private static S3Client client(S3Location where, String region) {
        var builder = S3Client.builder()
                .httpClientBuilder(Apache5HttpClient.builder().maxConnections(32)
                        .socketTimeout(Duration.ofSeconds(60)).connectionTimeout(Duration.ofSeconds(10)))
                .overrideConfiguration(o -> o.retryStrategy(AwsRetryStrategy.doNotRetry()))
                .forcePathStyle(where.pathStyle());
        if (where.endpoint() != null) {
            builder.endpointOverride(URI.create(where.endpoint()))
                    // S3-compatible servers vary in what they make of the SDK's newer checksum trailers; our
                    // envelope carries its own CRC-32C (and GCM tag), so ask for checksums only where required
                    .requestChecksumCalculation(RequestChecksumCalculation.WHEN_REQUIRED)
                    .responseChecksumValidation(ResponseChecksumValidation.WHEN_REQUIRED);
        }
        builder.region(Region.of(region));
        return builder.build();
    }

    private String key(String name) {
        return where.prefix().isEmpty() ? name : where.prefix() + "/" + name;
    }

    @Override
    public void put(String name, byte[] data) throws IOException {
        String key = key(BlobNames.check(name));
        call(name, () -> s3.putObject(b -> b.bucket(where.bucket()).key(key).contentLength((long) data.length),
                RequestBody.fromBytes(data)));
    }

    @Override
    public boolean putIfAbsent(String name, byte[] data) throws IOException {
        String key = key(BlobNames.check(name));
        if (!where.conditionalWrites()) {
            if (size(name) >= 0) {
                return false;
            }
            put(name, data);
            return true;
        }
        try {
            s3.putObject(b -> b.bucket(where.bucket()).key(key).contentLength((long) data.length).ifNoneMatch("*"),
                    RequestBody.fromBytes(data));
            return true;
        } catch (S3Exception e) {
            if (e.statusCode() == 412) {
                return false;
            }
            if (e.statusCode() == 501 || "NotImplemented".equals(code(e))) {
                throw new StoreFailure("the S3 server at " + where.describe() + " does not support conditional writes"
                        + " (If-None-Match: *): " + brief(e), true,
                        "use a server that does (AWS S3, MinIO, Ceph RGW, S3Proxy 4), or add conditional-writes=false to"
                                + " the s3:// location if only one Rewind ever writes there at a time (docs/FORMAT.md, S3)", e);
            }
            throw failure(name, e);
        } catch (SdkException e) {
            throw failure(name, e);
        }
    }

    @Override
    public byte[] get(String name) throws IOException {
        String key = key(BlobNames.check(name));
        try {
            return s3.getObjectAsBytes(b -> b.bucket(where.bucket()).key(key)).asByteArray();
        } catch (S3Exception e) {
            if (e.statusCode() == 404 && !"NoSuchBucket".equals(code(e))) {
                throw new NoSuchFileException(name);
            }
            throw failure(name, e);
        } catch (SdkException e) {
            throw failure(name, e);
        }
    }

    @Override
    public long size(String name) throws IOException {
        String key = key(BlobNames.check(name));
        try {
            return s3.headObject(b -> b.bucket(where.bucket()).key(key)).contentLength();
        } catch (S3Exception e) {
            if (e.statusCode() == 404) {
                return -1;  // a HEAD has no body: a missing bucket shows on the next listing or write
            }
            throw failure(name, e);
        } catch (SdkException e) {
            throw failure(name, e);
        }
    }

    @Override
    public List<String> list(String prefix) throws IOException {
        return new ArrayList<>(listSizes(prefix).keySet());
    }

    @Override
    public SortedMap<String, Long> listSizes(String prefix) throws IOException {
        String p = BlobNames.checkPrefix(prefix);
        String full = key(p);
        int strip = where.prefix().isEmpty() ? 0 : where.prefix().length() + 1;
        SortedMap<String, Long> out = new TreeMap<>();
        try {
            for (S3Object o : s3.listObjectsV2Paginator(b -> b.bucket(where.bucket()).prefix(full)).contents()) {
                out.put(o.key().substring(strip), o.size());
            }
        } catch (SdkException e) {
            throw failure(prefix, e);
        }
        return out;
    }

    @Override
    public void delete(String name) throws IOException {
        String key = key(BlobNames.check(name));
        call(name, () -> s3.deleteObject(b -> b.bucket(where.bucket()).key(key)));
    }

    /** Deletes in batches of 1,000 (one DeleteObjects request each). */
    @Override
    public void deleteAll(Collection<String> names) throws IOException {
        List<ObjectIdentifier> batch = new ArrayList<>();
        for (String name : names) {
            batch.add(ObjectIdentifier.builder().key(key(BlobNames.check(name))).build());
            if (batch.size() == DELETE_BATCH) {
                deleteBatch(batch);
                batch.clear();
            }
        }
        if (!batch.isEmpty()) {
            deleteBatch(batch);
        }
    }

    private void deleteBatch(List<ObjectIdentifier> batch) throws IOException {
        Delete delete = Delete.builder().objects(List.copyOf(batch)).quiet(true).build();
        var response = call(batch.get(0).key(), () -> s3.deleteObjects(b -> b.bucket(where.bucket()).delete(delete)));
        if (response.hasErrors() && !response.errors().isEmpty()) {
            var first = response.errors().get(0);
            throw new StoreFailure("could not delete " + response.errors().size() + " of " + batch.size() + " files from "
                    + where.describe() + ", first " + first.key() + ": " + first.code() + " " + first.message(), false,
                    "run the command again", null);
        }
    }

    @Override
    public String location() {
        return where.describe();
    }

    private interface Call<T> {
        T run();
    }

    private <T> T call(String name, Call<T> c) throws IOException {
        try {
            return c.run();
        } catch (SdkException e) {
            throw failure(name, e);
        }
    }

    /** An SDK failure as a StoreFailure: permanent for what a retry cannot change, transient otherwise. */
    private StoreFailure failure(String name, SdkException e) {
        if (e instanceof S3Exception s) {
            int status = s.statusCode();
            if (status == 403) {
                return new StoreFailure("access denied to " + name + " in " + where.describe() + ": " + brief(s), true,
                        "check the credentials (AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY, AWS_PROFILE, or the instance role)"
                                + " and the bucket's policy", e);
            }
            if ("NoSuchBucket".equals(code(s))) {
                return new StoreFailure("there is no bucket '" + where.bucket() + "' at " + where.describe(), true,
                        "create the bucket first (Rewind does not create buckets), or check the name and --s3-endpoint", e);
            }
            boolean permanent = status >= 400 && status < 500 && status != 408 && status != 409 && status != 429;
            return new StoreFailure("the S3 server refused " + name + " in " + where.describe() + ": " + brief(s), permanent,
                    permanent ? "check the bucket, the region (--s3-region) and the endpoint (--s3-endpoint)"
                            : "the server may be overloaded or restarting; run the command again", e);
        }
        if (String.valueOf(e.getMessage()).startsWith("Unable to load credentials")) {
            return new StoreFailure("no S3 credentials for " + where.describe() + ": none of the AWS SDK's standard sources has any",
                    true, "set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY, or AWS_PROFILE with ~/.aws/credentials, or run"
                            + " with an instance or container role", e);
        }
        String why = e instanceof SdkClientException && e.getCause() != null ? e.getCause().toString() : e.getMessage();
        if (why != null && why.length() > 300) {
            why = why.substring(0, 300) + "...";
        }
        return new StoreFailure("cannot reach the S3 server for " + name + " in " + where.describe() + ": " + why, false,
                "check --s3-endpoint, the network, and that the server is running", e);
    }

    private static String code(S3Exception e) {
        return e.awsErrorDetails() == null ? null : e.awsErrorDetails().errorCode();
    }

    private static String brief(S3Exception e) {
        String code = code(e);
        return e.statusCode() + (code == null ? "" : " " + code);
    }
}
