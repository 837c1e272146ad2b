package io.quarkube.storage;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.IdClass;
import jakarta.persistence.Table;

/**
 * One current object: a row of {@code qk_object}. The JSON is stored without
 * {@code metadata.resourceVersion}, which is the row's revision.
 */
@Entity
@Table(name = "qk_object")
@IdClass(ObjectKey.class)
public class ObjectRecord {

    @Id
    public String resource;
    @Id
    public String namespace;
    @Id
    public String name;
    public long revision;
    @Column(name = "value")
    public String json;
}
