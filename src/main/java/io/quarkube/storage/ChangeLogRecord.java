package io.quarkube.storage;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

/**
 * One row of the change log {@code qk_log}: the change a revision made (codes in
 * {@link ChangeCodes}), with the object's JSON after it and, for updates, before it.
 */
@Entity
@Table(name = "qk_log")
public class ChangeLogRecord {

    @Id
    public long revision;
    public String resource;
    public String namespace;
    public String name;
    public int event;
    @Column(name = "value")
    public String json;
    @Column(name = "prev_value")
    public String previousJson;
}
