//! World knowledge that is not about any corpus: the names of countries, their capitals and large cities, US
//! states and world regions (public-domain geography), and common English given names (public-domain US
//! Social Security name statistics, most frequent forms) — so that places and people can be told from
//! companies and products.

use rustc_hash::{FxHashMap as HashMap, FxHashSet as HashSet};
use std::sync::LazyLock;

/// Countries and world regions.
const COUNTRIES_AND_REGIONS: &str = "\
Afghanistan|Albania|Algeria|Andorra|Angola|Argentina|Armenia|Australia|Austria|Azerbaijan|Bahamas|Bahrain|\
Bangladesh|Barbados|Belarus|Belgium|Belize|Benin|Bhutan|Bolivia|Bosnia|Botswana|Brazil|Brunei|Bulgaria|\
Burkina Faso|Burundi|Cambodia|Cameroon|Canada|Chad|Chile|China|Colombia|Comoros|Congo|Costa Rica|Croatia|Cuba|\
Cyprus|Czech Republic|Czechia|Denmark|Djibouti|Dominica|Dominican Republic|Ecuador|Egypt|El Salvador|Eritrea|\
Estonia|Eswatini|Ethiopia|Fiji|Finland|France|Gabon|Gambia|Georgia|Germany|Ghana|Greece|Grenada|Guatemala|Guinea|\
Guyana|Haiti|Honduras|Hungary|Iceland|India|Indonesia|Iran|Iraq|Ireland|Israel|Italy|Ivory Coast|Jamaica|Japan|\
Jordan|Kazakhstan|Kenya|Kiribati|Kosovo|Kuwait|Kyrgyzstan|Laos|Latvia|Lebanon|Lesotho|Liberia|Libya|\
Liechtenstein|Lithuania|Luxembourg|Madagascar|Malawi|Malaysia|Maldives|Mali|Malta|Mauritania|Mauritius|Mexico|\
Micronesia|Moldova|Monaco|Mongolia|Montenegro|Morocco|Mozambique|Myanmar|Burma|Namibia|Nauru|Nepal|Netherlands|\
Holland|New Zealand|Nicaragua|Niger|Nigeria|North Korea|North Macedonia|Norway|Oman|Pakistan|Palau|Palestine|\
Panama|Papua New Guinea|Paraguay|Peru|Philippines|Poland|Portugal|Qatar|Romania|Russia|Rwanda|Samoa|San Marino|\
Saudi Arabia|Senegal|Serbia|Seychelles|Sierra Leone|Singapore|Slovakia|Slovenia|Somalia|South Africa|\
South Korea|Korea|South Sudan|Spain|Sri Lanka|Sudan|Suriname|Sweden|Switzerland|Syria|Taiwan|Tajikistan|Tanzania|\
Thailand|Togo|Tonga|Trinidad|Tunisia|Turkey|Türkiye|Turkmenistan|Tuvalu|Uganda|Ukraine|United Arab Emirates|UAE|\
United Kingdom|UK|Britain|Great Britain|England|Scotland|Wales|Northern Ireland|United States|US|U.S.|USA|\
America|Uruguay|Uzbekistan|Vanuatu|Vatican|Venezuela|Vietnam|Yemen|Zambia|Zimbabwe|Hong Kong|Macau|Greenland|\
Puerto Rico|Gaza|West Bank|Crimea|Donbas|Kashmir|Tibet|Xinjiang|Darfur|\
Africa|Asia|Europe|North America|South America|Latin America|Central America|Oceania|Antarctica|Middle East|\
Arctic|Caribbean|Balkans|Scandinavia|Horn of Africa|Sahel|Gulf|Pacific|Atlantic|Indo-Pacific|Eurasia|";

/// Capitals and large cities.
const CITIES: &str = "\
Kabul|Tirana|Algiers|Luanda|Buenos Aires|Yerevan|Canberra|Vienna|Baku|Manama|Dhaka|Minsk|Brussels|La Paz|\
Sarajevo|Gaborone|Brasilia|Brasília|Sofia|Ouagadougou|Phnom Penh|Yaounde|Ottawa|Santiago|Beijing|Bogota|Bogotá|\
Kinshasa|Havana|Nicosia|Prague|Copenhagen|Cairo|Tallinn|Addis Ababa|Helsinki|Paris|Libreville|Tbilisi|Berlin|\
Accra|Athens|Budapest|Reykjavik|New Delhi|Delhi|Jakarta|Tehran|Baghdad|Dublin|Jerusalem|Tel Aviv|Rome|Kingston|\
Tokyo|Amman|Astana|Nairobi|Pristina|Kuwait City|Bishkek|Vientiane|Riga|Beirut|Monrovia|Tripoli|Vilnius|\
Antananarivo|Lilongwe|Kuala Lumpur|Bamako|Valletta|Mexico City|Chisinau|Ulaanbaatar|Podgorica|Rabat|Maputo|\
Naypyidaw|Yangon|Windhoek|Kathmandu|Amsterdam|The Hague|Wellington|Managua|Niamey|Abuja|Lagos|Pyongyang|Skopje|\
Oslo|Muscat|Islamabad|Karachi|Lahore|Ramallah|Panama City|Asuncion|Lima|Manila|Warsaw|Lisbon|Doha|Bucharest|\
Moscow|Kigali|Riyadh|Dakar|Belgrade|Freetown|Bratislava|Ljubljana|Mogadishu|Pretoria|Johannesburg|Cape Town|\
Seoul|Juba|Madrid|Barcelona|Colombo|Khartoum|Stockholm|Bern|Geneva|Zurich|Damascus|Taipei|Dushanbe|Dodoma|\
Dar es Salaam|Bangkok|Lome|Tunis|Ankara|Istanbul|Ashgabat|Kampala|Kyiv|Kiev|Kharkiv|Odesa|Odessa|Abu Dhabi|Dubai|\
London|Washington|Montevideo|Tashkent|Caracas|Hanoi|Ho Chi Minh City|Sanaa|Lusaka|Harare|\
New York|Los Angeles|Chicago|Houston|Phoenix|Philadelphia|San Antonio|San Diego|Dallas|San Jose|Austin|Detroit|\
Boston|Seattle|Denver|Atlanta|Miami|Baltimore|Pittsburgh|Cleveland|St. Louis|Minneapolis|New Orleans|Las Vegas|\
San Francisco|Silicon Valley|Manhattan|Brooklyn|Wall Street|Toronto|Montreal|Vancouver|Shanghai|Shenzhen|\
Guangzhou|Mumbai|Bangalore|Kolkata|Chennai|Osaka|Sydney|Melbourne|Munich|Frankfurt|Hamburg|Milan|Naples|Turin|\
Manchester|Birmingham|Liverpool|Edinburgh|Glasgow|Lyon|Marseille|Rotterdam|Antwerp|St. Petersburg|Sao Paulo|\
São Paulo|Rio de Janeiro|Rio|Singapore City|Jeddah|Mecca|Kandahar|Mosul|Basra|Aleppo|Kharkov|Gdansk|Krakow|";

/// US states, and provinces and regions of other countries.
const STATES: &str = "\
Alabama|Alaska|Arizona|Arkansas|California|Colorado|Connecticut|Delaware|Florida|Hawaii|Idaho|Illinois|Indiana|\
Iowa|Kansas|Kentucky|Louisiana|Maine|Maryland|Massachusetts|Michigan|Minnesota|Mississippi|Missouri|Montana|\
Nebraska|Nevada|New Hampshire|New Jersey|New Mexico|North Carolina|North Dakota|Ohio|Oklahoma|Oregon|\
Pennsylvania|Rhode Island|South Carolina|South Dakota|Tennessee|Texas|Utah|Vermont|Virginia|West Virginia|\
Wisconsin|Wyoming|Ontario|Quebec|British Columbia|Alberta|Bavaria|Catalonia|Siberia|Normandy";

const GIVEN_NAMES: &str = "\
aaron|abby|abigail|adam|adrian|al|alan|albert|alex|alexander|alexandra|alfred|ali|alice|alicia|allen|\
alison|amanda|amy|andrea|andrew|andy|angela|ann|anna|anne|annie|anthony|antonio|antony|arthur|ashley|barbara|\
barry|ben|benjamin|bernard|beth|betty|bill|billy|bob|bobby|bonnie|boris|brad|bradley|brandon|brenda|brent|\
brian|bruce|bryan|carl|carlos|carol|caroline|carolyn|catherine|charles|charlie|cheryl|chris|christian|christina|\
christine|christopher|chuck|cindy|claire|clara|colin|craig|cynthia|dale|dan|dana|daniel|danny|darren|dave|david|\
dean|deborah|debra|denise|dennis|derek|diana|diane|dick|don|donald|donna|doris|dorothy|doug|douglas|\
dylan|earl|ed|eddie|edward|elaine|elizabeth|ellen|emily|emma|eric|erica|erik|eugene|evelyn|frank|fred|frederick|\
gary|gene|george|gerald|glenn|gloria|gordon|grace|greg|gregory|hank|hannah|harold|harry|heather|helen|henry|\
howard|ian|irene|jack|jacob|jake|james|jamie|jane|janet|janice|jason|jean|jeff|jeffrey|jen|jennifer|jenny|jeremy|\
jerry|jessica|jill|jim|jimmy|joan|joe|joel|john|johnny|jon|jonathan|jose|joseph|josh|joshua|joyce|juan|judith|judy|\
julia|julie|justin|karen|kate|katherine|kathleen|kathryn|kathy|keith|kelly|ken|kenneth|kevin|kim|kimberly|\
kirk|kristen|kurt|larry|laura|lauren|lawrence|leo|leonard|leslie|lisa|liz|lloyd|lois|lori|louis|louise|lucy|luis|\
lynn|marc|marco|margaret|maria|marie|marilyn|mario|mark|martha|martin|mary|matt|matthew|megan|melissa|michael|\
michelle|mike|mitch|mohammed|muhammad|nancy|nathan|neil|nicholas|nick|nicolas|nicole|noah|norman|olivia|pamela|\
pat|patricia|patrick|paul|paula|peggy|peter|phil|philip|phillip|rachel|ralph|randy|ray|raymond|rebecca|richard|\
rick|rob|robert|robin|roger|ron|ronald|rosa|rose|roy|ruby|russell|ruth|ryan|sally|sam|samantha|samuel|sandra|sara|\
sarah|scott|sean|sebastian|sergio|shannon|sharon|shirley|sophia|stanley|stephanie|stephen|steve|steven|\
sue|susan|ted|teresa|terry|theodore|theresa|thomas|tim|timothy|tina|todd|tom|tommy|tony|tracy|tyler|valerie|\
vicky|victor|victoria|vincent|virginia|vladimir|walter|wayne|wendy|william|willie|xavier|yuri|zachary";

static PLACE_SET: LazyLock<HashSet<&'static str>> = LazyLock::new(|| {
    [COUNTRIES_AND_REGIONS, CITIES, STATES]
        .iter()
        .flat_map(|p| p.split('|'))
        .collect()
});
static LAND_SET: LazyLock<HashSet<&'static str>> = LazyLock::new(|| {
    [COUNTRIES_AND_REGIONS, STATES]
        .iter()
        .flat_map(|p| p.split('|'))
        .collect()
});
static GIVEN_SET: LazyLock<HashSet<&'static str>> =
    LazyLock::new(|| GIVEN_NAMES.split('|').collect());

/// Is this (whole) name a country, a world region, a US state or another country's province — a place, but
/// not a city ("America", "Ukraine", "Texas"; not "Austin")?
pub fn is_country_or_region(name: &str) -> bool {
    LAND_SET.contains(name)
}

/// Is this (whole) name a country, capital, large city, US state or world region?
pub fn is_place(name: &str) -> bool {
    PLACE_SET.contains(name)
        || name
            .strip_prefix("the ")
            .or_else(|| name.strip_prefix("The "))
            .is_some_and(|n| PLACE_SET.contains(n))
}

const DEMONYMS: &str = "British|French|Dutch|Swiss|Greek|Thai|Irish|Scottish|Welsh|Spanish|Danish|Finnish|\
Polish|Turkish|Swedish|English|Icelandic|Arab|Arabic|Czech|Slovak|Filipino|Pakistani|Israeli|Iraqi|Kuwaiti|\
Saudi|Qatari|Yemeni|Omani|Afghan|Somali|Bangladeshi|Nepali|Kenyan|Western|Eastern|Northern|Southern";

static DEMONYM_SET: LazyLock<HashSet<&'static str>> =
    LazyLock::new(|| DEMONYMS.split('|').collect());

/// Is this word one of the nationality adjectives listed here ("British", "Israeli"), rather than one made
/// from a place's name?
pub fn is_listed_demonym(word: &str) -> bool {
    DEMONYM_SET.contains(word)
}

/// Is this word a nationality or regional adjective ("Japanese", "American", "Canadian", "British")?
pub fn is_demonym(word: &str) -> bool {
    if DEMONYM_SET.contains(word) {
        return true;
    }
    let ends = ["n", "ese", "ish", "i"];
    if !ends.iter().any(|e| word.ends_with(e)) || word.len() < 5 {
        return false;
    }
    // The word is a place's stem ("Kenya" → "Keny") and a nationality's ending ("Kenyan", "Japanese", and
    // none in "German"; not "Ammann", which is "Amman" and an "n"), and not the place itself.
    const ENDINGS: &[&str] = &["", "an", "ian", "ean", "ese", "ish", "i"];
    let lowest = word.len().saturating_sub(4).max(4);
    (lowest..=word.len())
        .filter(|&k| word.is_char_boundary(k) && ENDINGS.contains(&&word[k..]))
        .filter_map(|k| PLACE_STEMS.get(&word[..k]))
        .any(|places| places.iter().any(|p| *p != word))
}

/// Single-word places of four or more letters by their stem (final a, e, y, o dropped), four or more letters.
static PLACE_STEMS: LazyLock<HashMap<&'static str, Vec<&'static str>>> = LazyLock::new(|| {
    let mut stems: HashMap<&'static str, Vec<&'static str>> = HashMap::default();
    for p in [COUNTRIES_AND_REGIONS, CITIES, STATES]
        .iter()
        .flat_map(|p| p.split('|'))
        .filter(|p| !p.contains(' ') && p.len() >= 4)
    {
        let stem = p.trim_end_matches(['a', 'e', 'y', 'o']);
        if stem.len() >= 4 {
            stems.entry(stem).or_default().push(p);
        }
    }
    stems
});

/// Is this word a common given name (any case)?
pub fn is_given_name(word: &str) -> bool {
    crate::extract::word::with_lowered(word, |l| GIVEN_SET.contains(l))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn places_and_given_names_are_recognised_as_whole_words() {
        for p in [
            "Kenya",
            "New York",
            "Washington",
            "Michigan",
            "the Middle East",
        ] {
            assert!(is_place(p), "{p}");
        }
        for p in ["Ford", "General Motors", "York"] {
            assert!(!is_place(p), "{p}");
        }
        assert!(is_given_name("Jim") && is_given_name("MARY"));
        for d in [
            "Japanese",
            "American",
            "Canadian",
            "European",
            "German",
            "British",
            "Chinese",
            "Palestinian",
            "Mexican",
            "Kenyan",
        ] {
            assert!(is_demonym(d), "{d}");
        }
        // A place's name and a letter more is no nationality ("Ammann", a surname; "Amman", a city).
        for d in ["Chrysler", "Toyota", "Kenya", "Detroit", "Ammann"] {
            assert!(!is_demonym(d), "{d}");
        }
        assert!(!is_given_name("Chrysler"));
    }
}
