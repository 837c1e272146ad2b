package io.quarkube.security;

import java.nio.file.Path;
import java.util.List;

/**
 * A client certificate issued by the cluster CA and the files holding it.
 *
 * @param cert   PEM certificate file
 * @param key    PEM private key file (mode 0600)
 * @param user   user name carried in the subject common name
 * @param groups groups carried in the subject organizations
 */
public record IssuedCertificate(Path cert, Path key, String user, List<String> groups) {

    public IssuedCertificate {
        groups = List.copyOf(groups);
    }

    /** The file name of the certificate without ".crt", which also names the kubeconfig user entry. */
    public String baseName() {
        String fileName = cert.getFileName().toString();
        return fileName.endsWith(".crt") ? fileName.substring(0, fileName.length() - ".crt".length()) : fileName;
    }
}
