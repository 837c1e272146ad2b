package io.quarkube.agent.dns;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** The parts of a resolv.conf that pods and the upstream forwarder use: nameservers, search domains, options. */
public record ResolvConf(List<String> nameservers, List<String> searches, List<String> options) {

    public ResolvConf {
        nameservers = List.copyOf(nameservers);
        searches = List.copyOf(searches);
        options = List.copyOf(options);
    }

    public static ResolvConf empty() {
        return new ResolvConf(List.of(), List.of(), List.of());
    }

    /** The file's content, or nothing when it cannot be read (as the kubelet with an empty --resolv-conf). */
    public static ResolvConf read(Path file) {
        try {
            return parse(Files.readString(file));
        } catch (IOException e) {
            return empty();
        }
    }

    /** resolv.conf(5): the last search/domain line wins; comments start with # or ;. */
    public static ResolvConf parse(String text) {
        List<String> nameservers = new ArrayList<>();
        List<String> searches = new ArrayList<>();
        List<String> options = new ArrayList<>();
        for (String line : text.split("\n")) {
            String[] words = line.strip().split("\\s+");
            if (words.length < 2 || words[0].startsWith("#") || words[0].startsWith(";")) {
                continue;
            }
            switch (words[0]) {
                case "nameserver" -> nameservers.add(words[1]);
                case "search", "domain" -> {
                    searches.clear();
                    for (int i = 1; i < words.length && !words[i].startsWith("#"); i++) {
                        searches.add(words[i]);
                    }
                }
                case "options" -> {
                    for (int i = 1; i < words.length && !words[i].startsWith("#"); i++) {
                        options.add(words[i]);
                    }
                }
                default -> {
                    // sortlist and others: not passed on, as the kubelet does
                }
            }
        }
        return new ResolvConf(nameservers, searches, options);
    }
}
