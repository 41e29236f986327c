package io.tenantry.examples.cardvaultpg;

import java.util.List;
import org.springframework.dao.DataIntegrityViolationException;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.data.domain.Sort;
import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.server.ResponseStatusException;

/**
 * What cards refer to: the vault's manufacturers, teams and players. Names are unique within a vault
 * only (the unique keys lead with the tenant column on shared tables), so every vault may have its own
 * "Topps".
 */
@RestController
class CatalogueController {

    private final ManufacturerRepository manufacturers;
    private final TeamRepository teams;
    private final PlayerRepository players;

    CatalogueController(ManufacturerRepository manufacturers, TeamRepository teams, PlayerRepository players) {
        this.manufacturers = manufacturers;
        this.teams = teams;
        this.players = players;
    }

    @GetMapping({"/api/manufacturers", "/t/{tenant}/api/manufacturers"})
    List<Manufacturer> manufacturers() {
        return manufacturers.findAll(Sort.by("name"));
    }

    @PostMapping({"/api/manufacturers", "/t/{tenant}/api/manufacturers"})
    @ResponseStatus(HttpStatus.CREATED)
    Manufacturer create(@RequestBody Manufacturer manufacturer) {
        return manufacturers.save(named(manufacturer.name(), manufacturer.withId(null)));
    }

    @GetMapping({"/api/teams", "/t/{tenant}/api/teams"})
    List<Team> teams() {
        return teams.findAll(Sort.by("name"));
    }

    @PostMapping({"/api/teams", "/t/{tenant}/api/teams"})
    @ResponseStatus(HttpStatus.CREATED)
    Team create(@RequestBody Team team) {
        return teams.save(named(team.name(), team.withId(null)));
    }

    @GetMapping({"/api/players", "/t/{tenant}/api/players"})
    List<Player> players() {
        return players.findAll(Sort.by("name"));
    }

    @PostMapping({"/api/players", "/t/{tenant}/api/players"})
    @ResponseStatus(HttpStatus.CREATED)
    Player create(@RequestBody Player player) {
        return players.save(named(player.name(), player.withId(null)));
    }

    @ExceptionHandler(DuplicateKeyException.class)
    ProblemDetail duplicateName() {
        return ProblemDetail.forStatusAndDetail(HttpStatus.CONFLICT, "This vault already has one with that name.");
    }

    /** A team id of another vault fails the foreign key, as an unknown one would. */
    @ExceptionHandler(DataIntegrityViolationException.class)
    ProblemDetail unknownTeam() {
        return ProblemDetail.forStatusAndDetail(HttpStatus.BAD_REQUEST, "This vault has no such team.");
    }

    private static <T> T named(String name, T entity) {
        if (name == null || name.isBlank()) {
            throw new ResponseStatusException(HttpStatus.BAD_REQUEST, "A name is required.");
        }
        return entity;
    }
}
