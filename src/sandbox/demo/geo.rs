//! London geography for the demo: postcode districts, their streets, depot sites, and the
//! one Surrey village (Compton, `GU3 1DQ`) that lets `postcode:GU3` find something.
//!
//! Each district's centre lies inside that postcode district and its radius is kept small
//! enough that generated points stay inside it; the streets exist in the district.

use crate::api::model::Coordinates;

use super::draw::Gen;

/// A London postcode district.
pub(super) struct District {
    /// Outward code, e.g. `SE15`.
    pub outward: &'static str,
    /// The neighbourhood people know it by.
    pub area: &'static str,
    /// Centre longitude.
    pub lon: f64,
    /// Centre latitude.
    pub lat: f64,
    /// Radius in metres within which generated points fall.
    pub radius_m: f64,
    /// Streets in the district.
    pub streets: &'static [&'static str],
}

const fn d(
    outward: &'static str,
    area: &'static str,
    lon: f64,
    lat: f64,
    radius_m: f64,
    streets: &'static [&'static str],
) -> District {
    District {
        outward,
        area,
        lon,
        lat,
        radius_m,
        streets,
    }
}

/// The districts tasks and customers are spread over.
#[rustfmt::skip]
pub(super) const DISTRICTS: &[District] = &[
    d("N1", "Islington", -0.1000, 51.5390, 700.0, &["Upper Street", "Essex Road", "Liverpool Road", "Cross Street", "Canonbury Road"]),
    d("N4", "Finsbury Park", -0.1070, 51.5665, 500.0, &["Stroud Green Road", "Blackstock Road", "Seven Sisters Road", "Fonthill Road"]),
    d("N7", "Holloway", -0.1180, 51.5540, 500.0, &["Holloway Road", "Hornsey Road", "Camden Road", "Tufnell Park Road"]),
    d("N10", "Muswell Hill", -0.1430, 51.5905, 500.0, &["Fortis Green Road", "Muswell Hill Broadway", "Colney Hatch Lane", "Queens Avenue", "Muswell Hill Road"]),
    d("N14", "Southgate", -0.1290, 51.6310, 600.0, &["Chase Side", "Chase Road", "Cannon Hill", "The Bourne", "Bramley Road"]),
    d("N16", "Stoke Newington", -0.0770, 51.5615, 550.0, &["Stoke Newington Church Street", "Stoke Newington High Street", "Albion Road", "Nevill Road"]),
    d("N22", "Wood Green", -0.1120, 51.5965, 550.0, &["High Road", "Lordship Lane", "Bounds Green Road", "Station Road", "Westbury Avenue"]),
    d("NW1", "Camden Town", -0.1425, 51.5390, 600.0, &["Camden High Street", "Parkway", "Arlington Road", "Camden Road", "Eversholt Street"]),
    d("NW3", "Hampstead", -0.1740, 51.5530, 600.0, &["Heath Street", "Hampstead High Street", "Haverstock Hill", "Belsize Lane", "England's Lane"]),
    d("NW6", "Kilburn", -0.1940, 51.5430, 500.0, &["Kilburn High Road", "West End Lane", "Belsize Road", "Quex Road", "Brondesbury Villas"]),
    d("NW10", "Harlesden", -0.2420, 51.5420, 700.0, &["Harlesden High Street", "Craven Park Road", "Church Road", "Manor Park Road", "Station Road"]),
    d("E1", "Whitechapel", -0.0640, 51.5170, 600.0, &["Whitechapel Road", "Commercial Street", "Brick Lane", "Cable Street", "Hanbury Street"]),
    d("E2", "Bethnal Green", -0.0600, 51.5280, 500.0, &["Bethnal Green Road", "Columbia Road", "Hackney Road", "Cambridge Heath Road", "Old Bethnal Green Road"]),
    d("E3", "Bow", -0.0230, 51.5290, 600.0, &["Roman Road", "Bow Road", "Old Ford Road", "Fairfield Road", "Tredegar Road"]),
    d("E8", "Hackney", -0.0640, 51.5440, 600.0, &["Mare Street", "Kingsland Road", "Dalston Lane", "Richmond Road", "Broadway Market"]),
    d("E14", "Poplar", -0.0150, 51.5030, 800.0, &["Westferry Road", "Manchester Road", "East India Dock Road", "Marsh Wall", "Poplar High Street"]),
    d("E15", "Stratford", 0.0000, 51.5420, 500.0, &["The Grove", "Romford Road", "Broadway", "Leytonstone Road", "Great Eastern Road"]),
    d("E17", "Walthamstow", -0.0210, 51.5840, 700.0, &["Hoe Street", "High Street", "Forest Road", "Orford Road", "Grove Road"]),
    d("EC1V", "Clerkenwell", -0.0985, 51.5270, 350.0, &["City Road", "Goswell Road", "Old Street", "Central Street", "St John Street"]),
    d("EC2A", "Shoreditch", -0.0820, 51.5240, 250.0, &["Great Eastern Street", "Curtain Road", "Paul Street", "Tabernacle Street", "Rivington Street"]),
    d("WC1H", "Bloomsbury", -0.1265, 51.5260, 250.0, &["Judd Street", "Marchmont Street", "Tavistock Place", "Cartwright Gardens", "Leigh Street"]),
    d("WC2H", "Covent Garden", -0.1290, 51.5135, 200.0, &["Shaftesbury Avenue", "Charing Cross Road", "Earlham Street", "Monmouth Street", "Neal Street"]),
    d("W1T", "Fitzrovia", -0.1355, 51.5200, 250.0, &["Charlotte Street", "Goodge Street", "Rathbone Place", "Whitfield Street", "Percy Street"]),
    d("W1F", "Soho", -0.1360, 51.5135, 180.0, &["Berwick Street", "Wardour Street", "Broadwick Street", "Poland Street", "Dean Street"]),
    d("W2", "Bayswater", -0.1850, 51.5140, 600.0, &["Queensway", "Westbourne Grove", "Praed Street", "Craven Road", "Sussex Gardens"]),
    d("W4", "Chiswick", -0.2600, 51.4930, 700.0, &["Chiswick High Road", "Turnham Green Terrace", "Devonshire Road", "Chiswick Lane", "Bath Road"]),
    d("W5", "Ealing", -0.3030, 51.5130, 700.0, &["The Broadway", "New Broadway", "Bond Street", "Haven Green", "Mattock Lane"]),
    d("W6", "Hammersmith", -0.2270, 51.4930, 500.0, &["King Street", "Fulham Palace Road", "Shepherd's Bush Road", "Hammersmith Grove", "Glenthorne Road"]),
    d("W8", "Kensington", -0.1930, 51.5000, 500.0, &["Kensington High Street", "Kensington Church Street", "Earls Court Road", "Abingdon Road", "Phillimore Gardens"]),
    d("W11", "Notting Hill", -0.2040, 51.5140, 500.0, &["Portobello Road", "Ledbury Road", "Kensington Park Road", "Ladbroke Grove", "Elgin Crescent"]),
    d("W12", "Shepherd's Bush", -0.2300, 51.5060, 600.0, &["Uxbridge Road", "Goldhawk Road", "Askew Road", "Wood Lane", "Shepherd's Bush Green"]),
    d("SW1V", "Pimlico", -0.1390, 51.4893, 450.0, &["Belgrave Road", "Warwick Way", "Lupus Street", "Denbigh Street", "Tachbrook Street"]),
    d("SW1X", "Belgravia", -0.1560, 51.4975, 300.0, &["Sloane Street", "Eaton Place", "Chesham Place", "Lowndes Square", "Pont Street"]),
    d("SW3", "Chelsea", -0.1690, 51.4905, 500.0, &["King's Road", "Sloane Avenue", "Flood Street", "Old Church Street", "Cale Street"]),
    d("SW6", "Fulham", -0.2000, 51.4770, 700.0, &["Fulham Road", "Munster Road", "Dawes Road", "Lillie Road", "New King's Road"]),
    d("SW9", "Stockwell", -0.1150, 51.4700, 500.0, &["Stockwell Road", "Brixton Road", "Loughborough Road", "Coldharbour Lane", "Landor Road"]),
    d("SW11", "Battersea", -0.1650, 51.4640, 700.0, &["Northcote Road", "Lavender Hill", "Battersea Park Road", "Falcon Road", "St John's Road"]),
    d("SW15", "Putney", -0.2190, 51.4610, 600.0, &["Putney High Street", "Upper Richmond Road", "Lower Richmond Road", "Putney Hill", "Werter Road"]),
    d("SW19", "Wimbledon", -0.2060, 51.4215, 600.0, &["The Broadway", "Hartfield Road", "Wimbledon Hill Road", "Worple Road", "Merton Road"]),
    d("SE1", "Southwark", -0.0950, 51.5010, 700.0, &["Borough High Street", "Tooley Street", "Bermondsey Street", "Southwark Street", "Long Lane"]),
    d("SE5", "Camberwell", -0.0920, 51.4740, 500.0, &["Camberwell Church Street", "Denmark Hill", "Camberwell Road", "Grove Lane", "Coldharbour Lane"]),
    d("SE10", "Greenwich", -0.0060, 51.4810, 600.0, &["Trafalgar Road", "Greenwich High Road", "Royal Hill", "Creek Road", "Woolwich Road"]),
    d("SE13", "Lewisham", -0.0130, 51.4580, 600.0, &["Lewisham High Street", "Lee High Road", "Loampit Vale", "Ladywell Road", "Lewisham Way"]),
    d("SE15", "Peckham", -0.0690, 51.4710, 600.0, &["Rye Lane", "Peckham High Street", "Queens Road", "Bellenden Road", "Peckham Rye"]),
    d("SE22", "East Dulwich", -0.0740, 51.4560, 500.0, &["Lordship Lane", "North Cross Road", "Crystal Palace Road", "Barry Road", "Upland Road"]),
];

/// A depot site in a London industrial area.
pub(super) struct DepotSite {
    /// Depot name.
    pub name: &'static str,
    /// Short code used in references (`NTH`).
    pub code: &'static str,
    /// First address line.
    pub address: &'static str,
    /// Full postcode.
    pub post_code: &'static str,
    /// Longitude.
    pub lon: f64,
    /// Latitude.
    pub lat: f64,
    /// Gate and loading-bay notes for drivers.
    pub instructions: &'static str,
}

/// The four depots: west, south, east and north London.
pub(super) const DEPOT_SITES: [DepotSite; 4] = [
    DepotSite {
        name: "Park Royal Hub",
        code: "WST",
        address: "Abbey Road, Park Royal",
        post_code: "NW10 7SJ",
        lon: -0.2655,
        lat: 51.5345,
        instructions: "Gate on Abbey Road; loading bays 1–6; hi-vis beyond the yellow line.",
    },
    DepotSite {
        name: "Nine Elms Cross-dock",
        code: "STH",
        address: "Nine Elms Lane",
        post_code: "SW8 5EL",
        lon: -0.1300,
        lat: 51.4805,
        instructions: "Enter by the market gate; chilled goods from bay C.",
    },
    DepotSite {
        name: "Silvertown Depot",
        code: "EST",
        address: "Thames Road, Silvertown",
        post_code: "E16 2EZ",
        lon: 0.0330,
        lat: 51.5005,
        instructions: "Gate code 4412; ADR cage keys at the transport office.",
    },
    DepotSite {
        name: "Edmonton Depot",
        code: "NTH",
        address: "Eley Road, Edmonton",
        post_code: "N18 3BH",
        lon: -0.0430,
        lat: 51.6225,
        instructions: "Use the Eley Road entrance; tail-lift vans park in row B.",
    },
];

/// The Surrey address outside London: Watts Gallery, Compton, near Guildford.
pub(super) const COMPTON: (&str, &str, &str, [f64; 2]) = (
    "Down Lane, Compton",
    "GU3 1DQ",
    "Guildford",
    [-0.630083, 51.220836],
);

/// A generated street address.
#[derive(Debug, Clone)]
pub(super) struct Address {
    /// `14 Rye Lane`.
    pub line: String,
    /// `SE15 4ST`.
    pub post_code: String,
    /// `London`.
    pub city: &'static str,
    /// Neighbourhood, e.g. `Peckham`.
    pub area: &'static str,
    /// `[lon, lat]` inside the postcode district.
    pub coordinates: Coordinates,
}

/// Letters the second half of a UK postcode may use.
const INWARD_LETTERS: &[u8] = b"ABDEFGHJLNPQRSTUWXYZ";

/// An address in a random London district.
pub(super) fn london_address(g: &mut Gen) -> Address {
    let i = g.index(DISTRICTS.len());
    address_in(g, &DISTRICTS[i])
}

/// An address in district `dist`.
pub(super) fn address_in(g: &mut Gen, dist: &District) -> Address {
    let street = g.pick(dist.streets);
    let number = g.int(1, 180);
    let inward = format!(
        "{}{}{}",
        g.int(1, 9),
        *g.pick(INWARD_LETTERS) as char,
        *g.pick(INWARD_LETTERS) as char
    );
    // Uniform over the disc: the square root keeps points from bunching at the centre.
    let r = dist.radius_m * g.real(0.0, 1.0).sqrt();
    let bearing = g.real(0.0, 360.0);
    let coordinates = offset(Coordinates::new(dist.lon, dist.lat), r, bearing);
    Address {
        line: format!("{number} {street}"),
        post_code: format!("{} {inward}", dist.outward),
        city: "London",
        area: dist.area,
        coordinates,
    }
}

/// The Compton address, exactly at the given coordinates.
pub(super) fn compton_address(g: &mut Gen) -> Address {
    let (street, post_code, city, [lon, lat]) = COMPTON;
    Address {
        line: format!("{} {street}", g.int(1, 40)),
        post_code: post_code.to_string(),
        city,
        area: "Compton",
        coordinates: Coordinates::new(lon, lat),
    }
}

/// The point `metres` away from `c` towards `bearing_deg` (0 = north), rounded to 6 places.
pub(super) fn offset(c: Coordinates, metres: f64, bearing_deg: f64) -> Coordinates {
    const M_PER_DEG_LAT: f64 = 111_320.0;
    let b = bearing_deg.to_radians();
    let dlat = metres * b.cos() / M_PER_DEG_LAT;
    let dlon = metres * b.sin() / (M_PER_DEG_LAT * c.lat().to_radians().cos());
    Coordinates::new(round6(c.lon() + dlon), round6(c.lat() + dlat))
}

/// Rounds a degree value to 6 decimal places (about 10 cm), as GPS fixes are written.
pub(super) fn round6(x: f64) -> f64 {
    (x * 1e6).round() / 1e6
}

/// Direction from `from` to `to` in radians, on a local flat map (east = 0).
pub(super) fn angle(from: Coordinates, to: Coordinates) -> f64 {
    let dx = (to.lon() - from.lon()) * from.lat().to_radians().cos();
    let dy = to.lat() - from.lat();
    dy.atan2(dx)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn addresses_fall_inside_their_district_circle() {
        let mut g = Gen::new(1, 0);
        for dist in DISTRICTS {
            let centre = Coordinates::new(dist.lon, dist.lat);
            for _ in 0..20 {
                let a = address_in(&mut g, dist);
                assert!(a.coordinates.haversine_m(&centre) <= dist.radius_m + 1.0);
                assert!(a.post_code.starts_with(&format!("{} ", dist.outward)));
                assert_eq!(a.post_code.len(), dist.outward.len() + 4, "{}", a.post_code);
            }
        }
        let p = offset(Coordinates::new(-0.1, 51.5), 50.0, 90.0);
        let m = p.haversine_m(&Coordinates::new(-0.1, 51.5));
        assert!((49.0..51.0).contains(&m), "{m}");
    }
}
