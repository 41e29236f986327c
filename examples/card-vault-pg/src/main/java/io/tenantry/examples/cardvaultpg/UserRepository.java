package io.tenantry.examples.cardvaultpg;

import java.util.UUID;
import org.springframework.data.repository.ListCrudRepository;
import org.springframework.data.repository.ListPagingAndSortingRepository;

interface UserRepository extends ListCrudRepository<User, UUID>, ListPagingAndSortingRepository<User, UUID> {
}
