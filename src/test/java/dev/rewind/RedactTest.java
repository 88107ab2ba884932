package dev.rewind;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Issue 11, item 6: secrets go, however the connection string spells them; the rest stays readable. */
class RedactTest {
    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
        "mongodb://ann:s3cret@db1:27017/           | mongodb://ann:***@db1:27017/",
        "mongodb://ann:p%40ss%2Fw0rd@db1,db2/shop  | mongodb://ann:***@db1,db2/shop",
        "mongodb://ann:p@ss@db1/                   | mongodb://***@db1/",
        "mongodb://ann:pa/ss@db1/                  | mongodb://***@db1/",
        "mongodb://:s3cret@db1/                    | mongodb://***@db1/",
        "mongodb://a%40b.c:s3cret@db1/             | mongodb://a%40b.c:***@db1/",
        "mongodb+srv://ann:s3cret@cluster0.example.net/?retryWrites=true | mongodb+srv://ann:***@cluster0.example.net/?retryWrites=true",
        "mongodb://db1/?authMechanism=MONGODB-AWS&authMechanismProperties=AWS_SESSION_TOKEN:s3cret | mongodb://db1/?authMechanism=MONGODB-AWS&authMechanismProperties=***",
        "mongodb://ann@db1/?authSource=admin;password=s3cret | mongodb://***@db1/?authSource=admin;password=***",
        "mongodb://db1:27017/?tlsCertificateKeyFilePassword=s3cret&appName=me | mongodb://db1:27017/?tlsCertificateKeyFilePassword=***&appName=me",
    })
    void secretsAreHidden(String uri, String redacted) {
        assertThat(Redact.uri(uri)).isEqualTo(redacted).doesNotContain("s3cret").doesNotContain("pa/ss").doesNotContain("p@ss");
    }

    @Test
    void connectionStringsInsideAMessageAreRedactedAndTheRestKept() {
        String message = "cannot reach mongodb://ann:s3cret@db1/ nor mongodb://bob:pa/ss@db2/x (timeout)";
        assertThat(Redact.uri(message)).isEqualTo("cannot reach mongodb://ann:***@db1/ nor mongodb://***@db2/x (timeout)");
        assertThat(Redact.uri("no connection string here")).isEqualTo("no connection string here");
        assertThat(Redact.uri(null)).isNull();
    }
}
