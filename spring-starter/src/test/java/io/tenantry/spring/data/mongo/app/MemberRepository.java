package io.tenantry.spring.data.mongo.app;

import java.util.List;
import org.springframework.data.mongodb.repository.MongoRepository;
import org.springframework.data.mongodb.repository.Query;

/** A repository over a natural {@code String} id, written with no thought of tenants. */
public interface MemberRepository extends MongoRepository<Member, String> {

    List<Member> findByNameStartingWithOrderByEmailAsc(String prefix);

    @Query("{ '_id': { $in: ?0 } }")
    List<Member> withEmails(List<String> emails);

    @Query("{ '_id': { $regex: ?0 } }")
    List<Member> withEmailsMatching(String pattern);
}
