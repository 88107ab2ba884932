package dev.rewind.repo.store;

import java.io.InputStream;
import java.net.URI;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;
import org.gaul.s3proxy.S3Proxy;
import org.gaul.s3proxy.auth.AuthenticationType;
import org.gaul.s3proxy.blobstore.BlobStore;
import org.gaul.s3proxy.blobstore.ForwardingBlobStore;
import org.gaul.s3proxy.nio2blob.TransientNio2BlobStore;
import software.amazon.awssdk.awscore.exception.AwsErrorDetails;
import software.amazon.awssdk.services.s3.model.PutObjectRequest;
import software.amazon.awssdk.services.s3.model.PutObjectResponse;
import software.amazon.awssdk.services.s3.model.S3Exception;

/**
 * A real S3 server on loopback for the tests: S3Proxy over its in-memory blob store, with AWS
 * Signature V4 authentication, started once per test JVM. Each test takes a bucket of its own.
 * The credentials are given to the SDK's standard chain as the system properties {@code aws.accessKeyId}
 * and {@code aws.secretAccessKey}. Faults can be switched on: the server then refuses the PUTs a
 * predicate picks with 503 SlowDown, as an overloaded S3 does.
 */
public final class S3Server {
    private static final String ID = "rewind-test";
    private static final String SECRET = "rewind-test-secret";
    private static S3Server shared;
    private static final AtomicInteger buckets = new AtomicInteger();
    private final S3Proxy proxy;
    private final Faulty store;

    private S3Server() throws Exception {
        store = new Faulty(new TransientNio2BlobStore());
        proxy = S3Proxy.builder().blobStore(store).endpoint(URI.create("http://127.0.0.1:0"))
                .awsAuthentication(AuthenticationType.AWS_V2_OR_V4, ID, SECRET).build();
        proxy.start();
        while (!"STARTED".equals(proxy.getState())) {
            Thread.sleep(10);
        }
    }

    /** The server, started on first use. */
    public static synchronized S3Server get() {
        if (shared == null) {
            System.setProperty("aws.accessKeyId", ID);
            System.setProperty("aws.secretAccessKey", SECRET);
            try {
                shared = new S3Server();
            } catch (Exception e) {
                throw new IllegalStateException("cannot start S3Proxy on loopback", e);
            }
        }
        return shared;
    }

    public String endpoint() {
        return "http://127.0.0.1:" + proxy.getPort();
    }

    public int port() {
        return proxy.getPort();
    }

    /** A new, empty bucket's name. */
    public String newBucket() {
        String name = "bucket-" + buckets.incrementAndGet();
        store.createContainer(name);
        return name;
    }

    /** A location for a new repository: a fresh bucket and a prefix, on this server. */
    public String newLocation() {
        return "s3://" + newBucket() + "/backups/main?endpoint=" + endpoint();
    }

    /** Refuses (503) every PUT whose key the predicate picks, until {@link #healthy()}. */
    public void refusePuts(Predicate<String> keys) {
        store.refuse = keys;
    }

    public void healthy() {
        store.refuse = k -> false;
    }

    /** How many PUTs were refused since the server started. */
    public int refused() {
        return store.refusedCount.get();
    }

    private static final class Faulty extends ForwardingBlobStore {
        volatile Predicate<String> refuse = k -> false;
        final AtomicInteger refusedCount = new AtomicInteger();

        Faulty(BlobStore delegate) {
            super(delegate);
        }

        @Override
        public PutObjectResponse putBlob(PutObjectRequest request, InputStream input) {
            if (refuse.test(request.key())) {
                refusedCount.incrementAndGet();
                throw (S3Exception) S3Exception.builder().statusCode(503).message("injected fault")
                        .awsErrorDetails(AwsErrorDetails.builder().errorCode("SlowDown").errorMessage("injected fault").build())
                        .build();
            }
            return super.putBlob(request, input);
        }
    }
}
